# Container image and Docker Compose stacks (docs/containers.md). Every target needs a Docker
# engine with the Compose plugin; without one it stops with a message saying so.

COMPOSE_DEV := docker compose -p healthcare-dev -f compose.dev.yaml
COMPOSE_PROD_ENV ?= deploy/compose/prod.env
COMPOSE_PROD = docker compose -p healthcare-prod -f compose.prod.yaml $(if $(wildcard $(COMPOSE_PROD_ENV)),--env-file $(COMPOSE_PROD_ENV))

.PHONY: docker-check
docker-check:
	@command -v docker >/dev/null 2>&1 || { echo "No docker CLI: install Docker Engine and its Compose plugin (https://docs.docker.com/engine/install/)." >&2; exit 1; }
	@docker info >/dev/null 2>&1 || { echo "No Docker engine answers (docker info failed): start dockerd or point DOCKER_HOST at one." >&2; exit 1; }
	@docker compose version >/dev/null 2>&1 || { echo "The Docker Compose plugin is missing (docker compose version failed): install docker-compose-plugin." >&2; exit 1; }

.PHONY: prod-secrets
prod-secrets:
	@test -d deploy/compose/secrets || { echo "No deploy/compose/secrets: run deploy/compose/generate-secrets.sh first (needs make build or make image)." >&2; exit 1; }

.PHONY: image
image: docker-check ## Build the container image healthcare-backend:local (Dockerfile)
	docker build -t healthcare-backend:local .

.PHONY: dev-up
dev-up: docker-check ## Start the development stack (compose.dev.yaml: app with API+worker, PostgreSQL, Redis) on 127.0.0.1:8088
	$(COMPOSE_DEV) up --build -d --wait

.PHONY: dev-down
dev-down: docker-check ## Stop the development stack (its volumes stay; add -v by hand to drop them)
	$(COMPOSE_DEV) down

.PHONY: prod-up
prod-up: docker-check prod-secrets ## Start the production stack (compose.prod.yaml: HAProxy, 3 APIs, worker, PostgreSQL primary+replica, Redis)
	$(COMPOSE_PROD) up -d --wait

.PHONY: prod-down
prod-down: docker-check ## Stop the production stack (volumes stay)
	$(COMPOSE_PROD) down

.PHONY: prod-logs
prod-logs: docker-check ## Follow the production stack's logs (SERVICE=api-1 for one service)
	$(COMPOSE_PROD) logs -f --tail=200 $(SERVICE)

.PHONY: prod-ps
prod-ps: docker-check ## List the production stack's containers and their health
	$(COMPOSE_PROD) ps

.PHONY: prod-restart
prod-restart: docker-check ## Restart api-1..3 and the worker one at a time, each healthy before the next (SERVICES="api-1" to choose)
	@for service in $${SERVICES:-api-1 api-2 api-3 worker}; do \
	  echo "prod-restart: $$service"; \
	  $(COMPOSE_PROD) restart $$service || exit 1; \
	  $(COMPOSE_PROD) up -d --wait --no-deps $$service || exit 1; \
	done
