"""Operator tools that run beside the services, such as `admin`."""
