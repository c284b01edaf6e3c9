#!/usr/bin/env bash
# What `make test` needs besides the virtualenv, installed or named, so that no test skips for a missing tool:
#   Debian packages: gettext (msgfmt), chromium (browser tests), tesseract-ocr with chi-sim and ara (cover OCR),
#   redis-server (worker tests; started on 127.0.0.1:6379 when nothing answers there) -- installed with apt-get
#   rabbitmq-server (the reliability tests also run on RabbitMQ; started when its node does not answer)
#   when run as root, otherwise named with the command to run, and `make test` stops;
#   npm: axe-core for the accessibility tests, at the version tests/e2e/axe/package-lock.json pins.
# Fonts are not needed: the cover renderer ships its own (themes/covers/font_files).
# Opt-outs, never honoured under CI: SKIP_BROWSER=1, SKIP_OCR=1, SKIP_REDIS=1 (those tests then report as skipped).
set -euo pipefail
cd "$(dirname "$0")/.."

opted_out() { [ -z "${CI:-}" ] && [ -n "${!1:-}" ] && [ "${!1}" != 0 ]; }
redis_answers() { (exec 3<>/dev/tcp/127.0.0.1/6379 && printf 'PING\r\n' >&3 && timeout 2 head -c 5 <&3 | grep -q PONG) 2>/dev/null; }

need=()
command -v msgfmt >/dev/null || need+=(gettext)
if ! opted_out SKIP_BROWSER; then
  command -v chromium >/dev/null || command -v chromium-browser >/dev/null || need+=(chromium)
fi
if ! opted_out SKIP_OCR; then
  langs=$(tesseract --list-langs 2>/dev/null || true)
  command -v tesseract >/dev/null || need+=(tesseract-ocr)
  grep -qx chi_sim <<<"$langs" || need+=(tesseract-ocr-chi-sim)
  grep -qx ara <<<"$langs" || need+=(tesseract-ocr-ara)
fi
if ! opted_out SKIP_REDIS; then
  command -v redis-server >/dev/null || need+=(redis-server)
  command -v rabbitmq-server >/dev/null || need+=(rabbitmq-server)  # the reliability tests run on both brokers
fi

if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "test-deps: installing ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null 2>&1 \
      || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null; }
  else
    {
      echo "make test needs these Debian packages: ${need[*]}"
      echo "    sudo apt-get install ${need[*]}"
      echo "or opt out of a group knowingly (its tests report as skipped; not honoured under CI):"
      echo "    SKIP_BROWSER=1 (chromium)  SKIP_OCR=1 (tesseract)  SKIP_REDIS=1 (redis-server)"
    } >&2
    exit 1
  fi
fi

if ! opted_out SKIP_REDIS && ! redis_answers; then
  echo "test-deps: starting redis-server on 127.0.0.1:6379 (data in memory only; log var/redis.log)"
  mkdir -p var
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no --dir "$PWD/var" \
    --logfile "$PWD/var/redis.log" --pidfile "$PWD/var/redis.pid"
  for _ in $(seq 50); do redis_answers && break; sleep 0.2; done
  redis_answers || { echo "test-deps: redis-server did not start (see var/redis.log)" >&2; exit 1; }
fi

if ! opted_out SKIP_REDIS && ! rabbitmqctl -q await_startup --timeout 2 >/dev/null 2>&1; then
  echo "test-deps: starting rabbitmq-server on 127.0.0.1:5672 (rabbitmq-server -detached)"
  rabbitmq-server -detached >/dev/null 2>&1 || true
  rabbitmqctl -q await_startup --timeout 120 >/dev/null 2>&1 || { echo "test-deps: RabbitMQ did not start" >&2; exit 1; }
fi

axe=tests/e2e/axe
if ! opted_out SKIP_BROWSER && [ -f "$axe/package-lock.json" ]; then
  if ! [ -f "$axe/node_modules/axe-core/axe.min.js" ] || [ "$axe/package-lock.json" -nt "$axe/node_modules/.package-lock.json" ]; then
    command -v npm >/dev/null || { echo "test-deps: npm is missing (Node.js 20 with npm; Debian: nodejs npm)" >&2; exit 1; }
    echo "test-deps: npm ci in $axe (axe-core from the npm registry)"
    npm ci --prefix "$axe" --no-audit --no-fund --loglevel=error >/dev/null
  fi
fi
