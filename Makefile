# Tooling of the template repository itself (not of the rendered project).
.DEFAULT_GOAL := help
SHELL := bash

DEST ?= .render
LINT_PATHS := $(wildcard tests hooks scripts extensions)

.PHONY: help test test-fast examples lock render lint fix tags

help: ## Show this help
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

test: ## Run every test, the slow toolchain runs included (what CI runs)
	uv run pytest

test-fast: ## Run the tests that do not run the rendered project's toolchain
	uv run pytest -m "not slow"

examples: ## Regenerate examples/ from the working tree with the default answers
	uv run python scripts/render_examples.py

lock: ## Regenerate template/uv.lock.jinja with `uv lock` in a default render (ARGS="--upgrade")
	uv run python scripts/lock.py $(ARGS)

render: ## Render the working tree with the defaults into DEST (default .render; ARGS="q=a ...")
	uv run python scripts/render.py "$(DEST)" $(ARGS)

tags: ## Tag every release CHANGELOG.md records (in a clone that lacks the tags)
	uv run python scripts/releases.py tags

lint: ## Check this repository's own Python (tests/, hooks/, scripts/) with ruff
	uv run ruff check $(LINT_PATHS)
	uv run ruff format --check $(LINT_PATHS)

fix: ## Apply ruff's fixes and formatting to this repository's own Python
	uv run ruff check --fix $(LINT_PATHS)
	uv run ruff format $(LINT_PATHS)
