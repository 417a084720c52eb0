#!/usr/bin/env bash
# The from-zero path of sdk/README.md, run end to end in a private Maven repository (nothing goes to ~/.m2):
# install the SDK, generate a plugin project from the archetype, build and test it, drop its jar into an unpacked
# distribution's plugins/ folder, see it in `switchboard check`, and route a request with its rule.
#
#   sdk/verify-from-zero.sh            # from the repository root; prints the time each step took
#
# Needs: JDK 17, Maven 3.8+, curl, python3 (a throwaway backend), network access to Maven Central on the first run.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$ROOT/target/from-zero"
REPO="${SDK_VERIFY_REPO:-$ROOT/target/m2}"
MVN=(mvn -B -q "-Dmaven.repo.local=$REPO")
# The project version: the first <version> after switchboard-parent's artifactId in the root POM.
VERSION="$(sed -n '/<artifactId>switchboard-parent<\/artifactId>/,/<\/version>/s:.*<version>\(.*\)</version>.*:\1:p' "$ROOT/pom.xml" | head -1)"
started=$SECONDS
step() { echo "[$((SECONDS - started)) s] $*"; }

rm -rf "$WORK"; mkdir -p "$WORK"

step "1. install the SDK (parent POMs, SPI, kernel, built-in plugins, test kit, archetype) into $REPO"
(cd "$ROOT" && "${MVN[@]}" install -DskipTests -pl sdk/archetype,sdk/plugin-parent,sdk/testkit -am)
step "   and build the distribution tarball"
(cd "$ROOT" && "${MVN[@]}" package -DskipTests -pl distribution -am)

step "2. generate a plugin project"
(cd "$WORK" && "${MVN[@]}" archetype:generate -DinteractiveMode=false \
    -DarchetypeGroupId=dev.switchboard -DarchetypeArtifactId=switchboard-plugin-archetype \
    -DarchetypeVersion="$VERSION" -DgroupId=com.acme -DartifactId=tenant-rule -Dpackage=com.acme.tenant)

step "3. build it: compile, its test through the test kit, package, packaging check"
(cd "$WORK/tenant-rule" && "${MVN[@]}" verify)
JAR="$WORK/tenant-rule/target/tenant-rule-1.0.0-SNAPSHOT.jar"
test -f "$JAR"

step "4. drop the jar into an unpacked distribution's plugins/"
tar -xzf "$ROOT/distribution/target/switchboard-$VERSION.tar.gz" -C "$WORK"
HOME_DIR="$WORK/switchboard-$VERSION"
cp "$JAR" "$HOME_DIR/plugins/"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
PROXY_PORT=$(free_port); BACKEND_PORT=$(free_port)
mkdir -p "$WORK/www" && echo "hello from the acme backend" > "$WORK/www/index.html"
cat > "$WORK/tenant.toml" <<TOML
logLevel = "INFO"
defaultEntryPoints = ["http"]
[entryPoints]
  [entryPoints.http]
  address = "127.0.0.1:$PROXY_PORT"
[file]
[frontends]
  [frontends.acme]
  backend = "acme"
    [frontends.acme.routes.tenant]
    rule = "Tenant: acme"
[backends]
  [backends.acme.servers.one]
  url = "http://127.0.0.1:$BACKEND_PORT"
TOML

step "5. bin/switchboard check"
"$HOME_DIR/bin/switchboard" check -c "$WORK/tenant.toml" | tee "$WORK/check.txt"
grep -q "Tenant: acme" "$WORK/check.txt"

step "6. run it and route a request with the new rule"
python3 -m http.server "$BACKEND_PORT" --bind 127.0.0.1 --directory "$WORK/www" >"$WORK/backend.log" 2>&1 &
BACKEND_PID=$!
"$HOME_DIR/bin/switchboard" -c "$WORK/tenant.toml" >"$WORK/switchboard.log" 2>&1 &
PROXY_PID=$!
trap 'kill $PROXY_PID $BACKEND_PID 2>/dev/null || true' EXIT
deadline=$((SECONDS + 60)); body=""
while (( SECONDS < deadline )); do
  body=$(curl -s -H "X-Tenant: acme" "http://127.0.0.1:$PROXY_PORT/" || true)
  [[ "$body" == *"acme backend"* ]] && break
  sleep 0.2   # polling interval, bounded by the deadline
done
[[ "$body" == *"acme backend"* ]] || { echo "no routed answer; log:"; cat "$WORK/switchboard.log"; exit 1; }
status=$(curl -s -o /dev/null -w '%{http_code}' -H "X-Tenant: initech" "http://127.0.0.1:$PROXY_PORT/")
[[ "$status" == 404 ]] || { echo "expected 404 for another tenant, got $status"; exit 1; }
grep -q "plugin .tenant-rule.*provides: matcher Tenant" "$WORK/switchboard.log" || { echo "start-up log does not name the plugin"; cat "$WORK/switchboard.log"; exit 1; }
step "   X-Tenant: acme routed to the backend, X-Tenant: initech answered 404"

step "7. the packaging check fails a jar that bundles PF4J (pf4j in compile scope) ..."
cp -r "$WORK/tenant-rule" "$WORK/bundles-pf4j" && rm -rf "$WORK/bundles-pf4j/target"
sed -i 's|</project>|<dependencies><dependency><groupId>org.pf4j</groupId><artifactId>pf4j</artifactId><scope>compile</scope></dependency></dependencies></project>|' "$WORK/bundles-pf4j/pom.xml"
if (cd "$WORK/bundles-pf4j" && "${MVN[@]}" package -DskipTests >"$WORK/bundles-pf4j.log" 2>&1); then
  echo "a jar bundling PF4J passed the packaging check"; exit 1
fi
grep -q "bundles PF4J classes" "$WORK/bundles-pf4j.log"
step "   ... and a jar whose META-INF/extensions.idx lists nothing (no @Extension)"
cp -r "$WORK/tenant-rule" "$WORK/no-index" && rm -rf "$WORK/no-index/target" "$WORK/no-index/src/test"
sed -i 's|^@Extension$||' "$WORK/no-index/src/main/java/com/acme/tenant/TenantMatcherFactory.java"
if (cd "$WORK/no-index" && "${MVN[@]}" package >"$WORK/no-index.log" 2>&1); then
  echo "a jar indexing no extension passed the packaging check"; exit 1
fi
grep -q "lists no extension in META-INF/extensions.idx" "$WORK/no-index.log"
step "done"
