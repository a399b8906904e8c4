# Sourced by run.sh and test.sh: installs what building and testing ruqi needs on a Debian machine, when missing.
set -euo pipefail

need_apt=()
command -v java >/dev/null 2>&1 && java -version 2>&1 | grep -qE 'version "(1[7-9]|2[0-9])' || need_apt+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || need_apt+=(maven)
command -v curl >/dev/null 2>&1 || need_apt+=(curl)
# What only the tests need (RUQI_SETUP=run, as run.sh sets it, skips it):
if [ "${RUQI_SETUP:-test}" != "run" ]; then
# The MySQL/HA tests run a private mariadbd of their own (src/test/java/io/ruqi/testing/MariaDbServer.java) and need
# only its binaries. The -core packages start no system service when installed, with or without systemd.
{ command -v mariadbd || [ -x /usr/sbin/mariadbd ]; } >/dev/null 2>&1 || need_apt+=(mariadb-server-core)
command -v mariadb >/dev/null 2>&1 || need_apt+=(mariadb-client-core)
# The Galera tests (src/test/java/io/ruqi/testing/GaleraCluster.java) run three private mariadbd members with Debian's
# Galera provider; a joiner's state transfer is rsync, run as the mysql user that the members run as.
[ -r /usr/lib/galera/libgalera_smm.so ] || need_apt+=(galera-4)
command -v rsync >/dev/null 2>&1 || need_apt+=(rsync)
# The chaos test (it/ChaosIT) runs one node with its clock ahead: Debian's libfaketime, preloaded into that JVM only.
ls /usr/lib/*/faketime/libfaketimeMT.so.1 >/dev/null 2>&1 || need_apt+=(libfaketime)
# The console's browser test: Debian's Chromium and its driver, and a font with Chinese characters for zh pages.
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
[ -x /usr/bin/chromedriver ] || need_apt+=(chromium-driver)
fc-list 2>/dev/null | grep -qi 'wqy\|noto sans cjk' || need_apt+=(fonts-wqy-microhei)
# The HA pair behind the shipped conf/ha/haproxy.cfg (src/test/java/io/ruqi/it/BalancerIT.java runs its own
# haproxy in the foreground; Debian's default configuration listens on nothing).
{ command -v haproxy || [ -x /usr/sbin/haproxy ]; } >/dev/null 2>&1 || need_apt+=(haproxy)
# The migrate tests make real RuQi / APScheduler 3 pickles with Debian's APScheduler (src/test/resources/migrate/
# make_fixtures.py), run by /usr/bin/python3: Debian's packages are not seen by another python3 on the PATH.
/usr/bin/python3 -c 'import apscheduler, sqlalchemy, pymysql' >/dev/null 2>&1 \
  || need_apt+=(python3 python3-apscheduler python3-sqlalchemy python3-pymysql)
# deploy/ is checked by the operators' own tools (src/test/java/io/ruqi/deploy/DeployFilesTest): promtool comes with
# Debian's prometheus, whose server the tests never start (stopped below if apt started it); systemd-analyze
# is systemd's, used where it is installed.
command -v promtool >/dev/null 2>&1 || need_promtool=1
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
if [ "${RUQI_SETUP:-test}" != "run" ] && ! id mysql >/dev/null 2>&1; then
  # mariadb-server-core alone does not make the user that the Galera members run as
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO useradd --system --no-create-home --shell /usr/sbin/nologin mysql
fi
if [ -n "${need_promtool:-}" ]; then
  echo "setup: installing prometheus (for promtool)"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  # without its recommends (node-exporter, another service); only promtool is wanted
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends prometheus >/dev/null
  { $SUDO systemctl disable --now prometheus; } >/dev/null 2>&1 || true
fi
