# Static checks and releases to Kubernetes: what the CI/CD workflows (.github/workflows) call.

.PHONY: lint
lint: ## Static checks: shell scripts (bash -n, ShellCheck) and GitHub workflows (action-validator); CI runs it before the tests
	@scripts/lint.sh

.PHONY: k8s-deploy
k8s-deploy: ## Deploy OVERLAY=staging|production with IMAGE=<registry/name:tag>: wait for rollout and /health, roll back on failure
	@test -n "$(OVERLAY)" -a -n "$(IMAGE)" || { echo "usage: make k8s-deploy OVERLAY=staging|production IMAGE=<registry/healthcare-backend:tag>" >&2; exit 2; }
	scripts/k8s-deploy.sh "$(OVERLAY)" "$(IMAGE)"

.PHONY: k8s-rollback
k8s-rollback: ## Roll the API and worker Deployments back to their previous revision (current kubectl context)
	scripts/k8s-rollback.sh
