# The local multi-instance cluster: 3 API instances and 1 worker behind HAProxy on this machine, no
# containers (scripts/cluster.sh, docs/local-cluster.md). start/stop/restart/logs are the operator's names.
CLUSTER := JAVA_OPTS="$(JAVA_OPTS)" scripts/cluster.sh

.PHONY: cluster-up cluster-down cluster-status cluster-roll cluster-drill start stop restart logs
cluster-up: jdk db-init build ## Start 3 API instances + 1 worker behind HAProxy on http://127.0.0.1:8080 (CLUSTER_PORT)
	@$(CLUSTER) up

cluster-down: ## Stop the local cluster (HAProxy, then each instance: SIGTERM, bounded wait, SIGKILL)
	@$(CLUSTER) down

cluster-status: ## Show the local cluster's instances, their readiness and HAProxy's view of them
	@$(CLUSTER) status

cluster-roll: jdk build ## Rolling restart of the local cluster under load; exits 1 if any request failed
	@$(CLUSTER) roll

# The drill is not part of `make test` (it takes minutes): a scheduled CI workflow runs it
# (.github/workflows/cluster-drill.yml). It builds and packages the jar itself, on a database and ports
# of its own, so it never touches a running `make start` cluster.
cluster-drill: jdk ## The rolling-restart drill, minutes, not in make test (ClusterRollingRestartIT: a cluster of its own rolled under load, kill -9, down)
	@scripts/ensure-services.sh
	./mvnw -B --no-transfer-progress -Pcluster-drill verify

start: cluster-up ## Start the local cluster (same as cluster-up)

stop: cluster-down ## Stop the local cluster (same as cluster-down)

restart: jdk build ## Rolling restart of the local cluster onto the freshly built jar, no downtime (starts it if stopped)
	@$(CLUSTER) restart

logs: ## Follow the local cluster's logs (all instances and HAProxy; one with NAME=api1|api2|api3|worker|haproxy)
	@$(CLUSTER) logs $(NAME)
