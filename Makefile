# Short names for the package.json scripts and the compose stack; `make` lists them.
.DEFAULT_GOAL := help

# The compose Postgres, published on loopback. The image holds only the
# server binary, so migrations cannot run through `docker compose run app`.
POSTGRES_PORT ?= 5432
DATABASE_URL ?= postgres://gopherchat:gopherchat@127.0.0.1:$(POSTGRES_PORT)/gopherchat

.PHONY: help install dev up down logs migrate seed admin generate test lint typecheck bench build

help: ## List the targets
	@awk 'BEGIN { FS = ":.*## " } /^[a-z][a-z-]*:.*## / { printf "  %-10s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)

install: ## Install dependencies exactly as locked
	bun install --frozen-lockfile

dev: ## Run the API and the Vite dev server with reload
	bun run dev

up: ## Build the image and start the compose stack in the background
	docker compose up -d --build

down: ## Stop the compose stack (volumes kept; `docker compose down -v` wipes them)
	docker compose down

logs: ## Follow the compose stack's logs
	docker compose logs --follow --tail=100

migrate: ## Apply migrations to DATABASE_URL (default: the compose Postgres)
	DATABASE_URL='$(DATABASE_URL)' bun run db:migrate

seed: ## Give an empty development database something to show (DATABASE_URL, or the embedded one)
	bun run db:seed

admin: ## Grant, revoke or list server admins: make admin ARGS='grant alice' (DATABASE_URL, or the embedded one: stop the server first)
	bun run admin -- $(ARGS)

generate: ## Generate a migration from the schema with drizzle-kit
	bun run db:generate

test: ## Run the test suite (needs Postgres, Redis and Chromium)
	bun run test

lint: ## Check formatting and lint rules with Biome
	bun run lint

typecheck: ## Type-check every workspace
	bun run typecheck

bench: ## Run the benchmarks
	bun run bench

build: ## Build the web app and the compiled server binary
	bun run build
