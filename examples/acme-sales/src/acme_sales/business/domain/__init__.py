"""Business domains: one package per domain, each with its rules, models and storage port."""
