"""The services this project runs."""
