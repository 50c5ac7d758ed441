#!/usr/bin/env bash
# npm run test:compose: builds the image and runs docker-compose.yml for real (test/compose/).
# With Docker (`docker info` answers and `docker compose` exists) it uses Docker. Otherwise rootful
# podman driven by Debian's docker-compose: the shared tool installs podman and builds local stand-ins
# for the public images (no image registry is reachable on the project's machines), a podman API
# socket serves docker-compose, and the tool's health-check runner stands in for systemd.
#   PORTVAGT_CONTAINER_IMAGES_TOOL  the tool's folder (default ../shared/tools/container-images, else /work/shared/...)
set -euo pipefail
cd "$(dirname "$0")/../.."

ensure_chromium() {
  [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] && return
  apt_install chromium
}

# The package lock may be held by another installer: wait for it (bounded) instead of failing.
apt_install() {
  local sudo=; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get -o DPkg::Lock::Timeout=300 update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq "$@" >/dev/null
}

# The test takes its topology down itself; this is for a test process that died. Bounded as a whole.
export COMPOSE_TEST_PROJECT="portvagt-test-$$-$RANDOM"
test_run() {
  local status=0
  timeout 1500 npx vitest run --config vitest.compose.config.ts || status=$?
  timeout 120 "$@" -p "$COMPOSE_TEST_PROJECT" -f docker-compose.yml down -v --remove-orphans -t 5 >/dev/null 2>&1 || true
  return "$status"
}

if docker info >/dev/null 2>&1 && docker compose version >/dev/null 2>&1; then
  ensure_chromium
  COMPOSE_TEST_ENGINE=docker test_run docker compose
  exit
fi

# podman runs rootful: everything below needs root.
if [ "$(id -u)" != 0 ]; then exec sudo --preserve-env env "PATH=$PATH" "$0" "$@"; fi
ensure_chromium
# Beside the checkout (../shared), or where these machines keep it when CI clones elsewhere.
tool="${PORTVAGT_CONTAINER_IMAGES_TOOL:-}"
if [ -z "$tool" ]; then
  for candidate in ../shared/tools/container-images /work/shared/tools/container-images; do
    [ -x "$candidate/build.sh" ] && { tool=$candidate; break; }
  done
  tool=${tool:-../shared/tools/container-images}
fi
[ -x "$tool/build.sh" ] || { echo "test:compose: no Docker here and no $tool/build.sh (set PORTVAGT_CONTAINER_IMAGES_TOOL)" >&2; exit 1; }
mkdir -p test-results
apt_conf=$(mktemp)
printf 'DPkg::Lock::Timeout "300";\n' >"$apt_conf"
if ! APT_CONFIG="$apt_conf" timeout 1200 "$tool/build.sh" docker-compose.yml >test-results/container-images.log 2>&1; then
  tail -n 40 test-results/container-images.log >&2
  echo "test:compose: $tool/build.sh failed (whole log: test-results/container-images.log)" >&2
  exit 1
fi
rm -f "$apt_conf"

socket="/run/portvagt-compose-test-$$.sock"
podman system service --time=0 "unix://$socket" >test-results/podman-service.log 2>&1 &
service=$!
# No systemd here, so nothing runs the containers' HEALTHCHECKs: the tool's runner does, bounded.
"$tool/healthchecks.sh" 1600 &
checks=$!
trap 'kill "$service" "$checks" 2>/dev/null; rm -f "$socket"' EXIT
for _ in $(seq 100); do [ -S "$socket" ] && break; sleep 0.1; done
[ -S "$socket" ] || { echo "test:compose: the podman API socket did not appear" >&2; exit 1; }

export DOCKER_HOST="unix://$socket" COMPOSE_TEST_ENGINE=podman
test_run docker-compose
