# Healthcare Backend — the front door. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

JDK := $(shell scripts/find-jdk.sh 2>/dev/null)
ifeq ($(JDK),)
  $(shell scripts/find-jdk.sh >&2)
  JDK_CHECK = @echo "Stopping: no JDK 25 or newer (see the message above)." >&2; exit 1
else
  JDK_CHECK = @true
endif
export JAVA_HOME := $(JDK)
export PATH := $(JDK)/bin:$(PATH)

MVN := ./mvnw -B -q
JAR := target/healthcare-backend.jar
JAVA_OPTS ?= -XX:+UseSerialGC -Xms64m -XX:MaxRAMPercentage=50 -XX:+ExitOnOutOfMemoryError
# Every target runs the jar from a private copy (scripts/run-jar.sh: RUN_JAR <JVM options> -- <arguments>):
# a later `make build` (which jwt-key, rotate-keys, audit-verify, … all run) rewrites $(JAR) in place,
# and must never pull it from under a running `make run`.
RUN_JAR := JAR=$(JAR) scripts/run-jar.sh

.PHONY: help
help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9_-]+:.*## / {printf "  \033[36m%-20s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: jdk
jdk:
	$(JDK_CHECK)
	@echo "Using JDK $(JDK)"

.PHONY: build
build: jdk ## Compile and package the service (no tests)
	$(MVN) -DskipTests package

.PHONY: db-init
db-init: ## Create the development database and roles if missing
	@scripts/ensure-services.sh no-redis
	@scripts/db-init.sh

.PHONY: run
run: jdk db-init build ## Start the service on :8088 (development profile, demo data)
	$(RUN_JAR) $(JAVA_OPTS) --

.PHONY: run-api
run-api: jdk db-init build ## Start an API instance only (APP_ROLE=api: serves HTTP, enqueues jobs, runs none) on $${PORT:-8088}
	APP_ROLE=api $(RUN_JAR) $(JAVA_OPTS) --

.PHONY: run-worker
run-worker: jdk db-init build ## Start a worker only (APP_ROLE=worker: runs jobs; /health and /metrics on $${PORT:-8089})
	APP_ROLE=worker PORT=$${PORT:-8089} $(RUN_JAR) $(JAVA_OPTS) --

.PHONY: aot
aot: jdk db-init build ## Build the JDK AOT cache (start-up about twice as fast; see docs/benchmarks.md)
	@scripts/aot-cache.sh

.PHONY: run-aot
run-aot: aot ## Like run, but starts from the AOT cache
	java $(JAVA_OPTS) -XX:AOTCache=target/app.aot -jar target/extracted/healthcare-backend.jar

.PHONY: test
test: jdk ## Run all tests against the local PostgreSQL and Redis, except the cluster drill (make cluster-drill)
	@scripts/ensure-services.sh
	./mvnw -B --no-transfer-progress verify

.PHONY: bench
bench: jdk ## Each hot path alone at 64 connections vs its DB-only pgbench ceiling (≈ 8 min; target/bench/summary.md)
	@scripts/ensure-services.sh
	scripts/bench.sh

.PHONY: bench-sse
bench-sse: jdk ## Start the service, hold 10,000 idle real-time event streams, report memory per stream (target/bench-sse)
	@scripts/ensure-services.sh
	scripts/sse-bench.sh

.PHONY: jwt-key
jwt-key: jdk build ## Print a new access-token signing key (JWK) for JWT_SIGNING_KEY
	@$(RUN_JAR) -- generate-jwt-key

.PHONY: audit-key
audit-key: jdk build ## Print a new audit checkpoint signing key pair for AUDIT_SIGNING_KEY
	@$(RUN_JAR) -- generate-audit-key

.PHONY: audit-verify
audit-verify: jdk build ## Verify every clinic's audit chain against its signed checkpoints (exit 1 if any is broken)
	@$(RUN_JAR) $(JAVA_OPTS) -- audit-verify

.PHONY: phi-master-key
phi-master-key: jdk build ## Print a new PHI master keyset (base64 Tink JSON) for PHI_MASTER_KEYSET
	@$(RUN_JAR) -- generate-phi-master-key

.PHONY: session-key
session-key: ## Print a new SESSION_DATA_KEY (32 random bytes, base64)
	@head -c 32 /dev/urandom | base64

.PHONY: rotate-keys
rotate-keys: jdk db-init build ## Rotate the PHI clinic keys and re-wrap every patient key (resumes an interrupted run)
	$(RUN_JAR) $(JAVA_OPTS) -- rotate-keys

.PHONY: audit-retention
audit-retention: jdk build ## Export and drop the audit months past retention now (the service also does it daily)
	@$(RUN_JAR) $(JAVA_OPTS) -- audit-retention

.PHONY: audit-verify-export
audit-verify-export: jdk build ## Verify an audit export without the database: FILE=<audit-YYYY-MM.ndjson.gz> [PUBLIC_KEY=<base64>]
	@test -n "$(FILE)" || { echo "usage: make audit-verify-export FILE=<audit-YYYY-MM.ndjson.gz> [PUBLIC_KEY=<base64 X.509>]" >&2; exit 2; }
	@$(RUN_JAR) -- audit-verify-export "$(FILE)" $(if $(PUBLIC_KEY),--public-key "$(PUBLIC_KEY)")

.PHONY: clean
clean: ## Remove build output
	$(MVN) clean

# Operations targets live beside this file, one file per area (local cluster, backups, Compose,
# Kubernetes); `make help` lists them after the targets above.
include $(sort $(wildcard make/*.mk))
