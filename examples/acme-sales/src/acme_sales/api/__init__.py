"""Entry points: wiring only, no rules. Each service and tool builds its dependencies here."""
