# Kubernetes (Kustomize) targets: docs/kubernetes.md. The manifests live in deploy/kubernetes.

K8S_DIR := deploy/kubernetes
K8S_OVERLAYS := local staging production
OVERLAY ?= all

.PHONY: k8s-render
k8s-render: ## Render the Kustomize overlays to target/k8s/<overlay>.yaml (OVERLAY=local|staging|production, default all)
	@command -v kubectl >/dev/null 2>&1 || { echo "kubectl not found: https://kubernetes.io/docs/tasks/tools/" >&2; exit 1; }
	@mkdir -p target/k8s
	@for o in $(if $(filter all,$(OVERLAY)),$(K8S_OVERLAYS),$(OVERLAY)); do \
	  test -d $(K8S_DIR)/overlays/$$o || { echo "unknown overlay '$$o' (one of: $(K8S_OVERLAYS))" >&2; exit 2; }; \
	  kubectl kustomize $(K8S_DIR)/overlays/$$o > target/k8s/$$o.yaml || exit 1; \
	  echo "target/k8s/$$o.yaml: $$(grep -c '^kind:' target/k8s/$$o.yaml) objects"; \
	done

.PHONY: k8s-validate
k8s-validate: jdk ## Render every overlay and check it (strict fabric8 parse, security, autoscaling, network policy tests)
	$(MVN) -Dtest='io.healthcarebackend.deploy.kubernetes.*Test' -Dsurefire.failIfNoSpecifiedTests=false -DskipITs test

.PHONY: k8s-local-secrets
k8s-local-secrets: jdk build ## Create the local overlay's Secrets with freshly generated keys (needs a cluster; keeps existing ones)
	@$(K8S_DIR)/scripts/local-secrets.sh

.PHONY: k8s-local-deploy
k8s-local-deploy: jdk build ## Apply the local overlay to the current kubectl cluster and wait for the rollout (needs a running cluster)
	@$(K8S_DIR)/scripts/local-deploy.sh deploy

.PHONY: k8s-local-stop
k8s-local-stop: ## Delete the local overlay from the current kubectl cluster
	@$(K8S_DIR)/scripts/local-deploy.sh stop
