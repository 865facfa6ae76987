#!/bin/bash
# An independent LwM2M client, not written here: coap-node 0.2.5 from the npm registry
# ("Client node of lightweight M2M", LwM2M 1.0, NoSec CoAP), installed by scripts/install-deps
# into build/interop and started by the tool through --device-cmd (tests/interop/
# coap-node-device.js wires it to the run's bootstrap URI). Its verdicts on C.14 in NoSec
# (fixtures/c14-nosec.json), with the tool's readings, are asserted below, and every FAIL
# says why the specification holds the client wrong. Every wait is a step timeout.
cd "$(dirname "$0")/../.."
. tests/e2e/lib.bash
export TMPDIR=$TMP

all() { local cmd=(); for a in "$@"; do if [ "$a" = -- ]; then "${cmd[@]}" || return 1; cmd=(); else cmd+=("$a"); fi; done; "${cmd[@]}"; }
verdicts() { local f=$1 out="" v; shift; for c in "$@"; do v=$(verdict_of "$f" "$c"); out+="${v:--} "; done; echo "${out% }"; }
# the explanation block of a failing criterion in the summary: "FAIL int-0 criterion D" to the next blank line
block() { sed -n "/^FAIL $2 criterion $3 /,/^\$/p" "$1"; }

INTEROP=build/interop
if ! command -v node >/dev/null || [ ! -f "$INTEROP/node_modules/coap-node/package.json" ]; then
    not_ok "coap-node is not installed in $INTEROP (node: $(command -v node || echo missing)): run scripts/install-deps"
    finish; exit
fi
ver=$(node -p 'require("./'"$INTEROP"'/node_modules/coap-node/package.json").version')
check "the client under test is coap-node 0.2.5 from npm (installed: $ver)" [ "$ver" = 0.2.5 ]

# coap-node has no Security instance for its bootstrap server (the address is an argument of
# its bootstrap() call), and it does not implement Bootstrap-Discover: C.14's own numbering
# is right for it, so the tool is told rather than made to ask (--bootstrap-account-iid 1).
# Each case in its own configuration, NoSec: C.14's, and C.1's (tests/data/nosec/c1.json: its
# one server, no Access Control) for int-680, whose Create in /3 C.14 does not grant.
"$TOOL" run --bootstrap --readings --config fixtures/c14-nosec.json --config-dir tests/data/nosec \
    --bootstrap-account-iid 1 \
    --port bs=0 --port 1=0 --port 2=0 --timeout 5 --ack-timeout 1000 --no-color \
    --junit "$TMP/cn.xml" --device-log "$TMP/device.log" \
    --only int-0,int-1,int-4,int-8,int-9,int-203,int-401,int-680,int-950,int-951 \
    --device-cmd "NODE_PATH=$PWD/$INTEROP/node_modules exec node tests/interop/coap-node-device.js" \
    >"$TMP/cn.txt" 2>"$TMP/cn.err"
rc=$?
got=$(verdicts "$TMP/cn.txt" int-0 int-950 int-951 int-1 int-4 int-8 int-9 int-203 int-680)
want="FAIL FAIL INCONCLUSIVE SKIPPED SKIPPED SKIPPED FAIL FAIL FAIL"
check "coap-node: verdicts of int-0 int-950 int-951 int-1 int-4 int-8 int-9 int-203 int-680 [$got]" [ "$got" = "$want" ]
crit=$(failing_criteria "$TMP/cn.txt")
want_crit="int-0 D int-0 E int-203 A int-680 A int-9 C int-950 A int-950 C"
check "coap-node: exactly these criteria fail [$crit]" [ "$crit" = "$want_crit" ]
check "coap-node: exit 1, ETS cases failed and none is a tool ERROR (got $rc)" [ "$rc" = 1 ]
if [ "$got" != "$want" ] || [ "$crit" != "$want_crit" ]; then
    sed 's/^/#   /' "$TMP/cn.txt" "$TMP/cn.err"; tail -n 20 "$TMP/device.log" | sed 's/^/#   dev: /'
fi

# What passes: the client bootstraps (Bootstrap-Request 2.04; Bootstrap-Write 2.04) and
# registers with both servers it was given (int-0 A-C, int-9 A-B, int-950 B D). ETS INT
# 1.2's int-1, int-4 and int-8 use LwM2M 1.1 operations (Bootstrap-Discover and -Read):
# SKIPPED for this LwM2M 1.0 client, with the reason.

# int-950 A and C (ETS 6.2.1 via int-101: "the information related to the Server Account",
# which includes the Objects and Object Instances): its Register lists the Security object's
# instances </0/0>,</0/2>. LwM2M TS 1.0 §5.3.1 (Register) leaves the Security Object (ID:0)
# out of the Objects and Object Instances a client registers, since only a bootstrap server
# may see it.
check "int-950 A: FAIL because the Register lists /0 (observed in the report)" \
    all grep -q '</0/0>,</0/2>' <(block "$TMP/cn.txt" int-950 A) -- \
    grep -q 'object /0 is listed but must not be' <(block "$TMP/cn.txt" int-950 A)
# int-951 cannot be judged: the ETS makes int-950 its precondition (CR 000_d577844b12ea9fe2)
check "int-951: INCONCLUSIVE, its precondition int-950 did not pass" \
    grep -q 'precondition LightweightM2M-1.0-int-950 did not pass' "$TMP/cn.txt"

# int-0 D (ETS 6.1.1.1 step 3 and pass criterion 4): the Bootstrap Server's
# BOOTSTRAP-DISCOVER must get 2.05 Content with the provisioned instances. coap-node
# implements no Bootstrap-Discover: while bootstrapping it answers everything but
# Write/Delete/Finish with a reset, which its CoAP library (coap 0.17) turns into a NON
# 5.00 "Empty messages must be empty".
check "int-0 D: FAIL on 5.00 to Bootstrap-Discover" \
    grep -q 'observed: 5.00 Internal Server Error (diagnostic payload: "Empty messages must be empty")' \
    <(block "$TMP/cn.txt" int-0 D)
# int-0 E (pass criterion 5): Bootstrap-Finish must be answered 2.04 (LwM2M TS 1.0 §5.2.7:
# the client answers Bootstrap-Finish, with 2.04, or with an error when its configuration
# is not acceptable). After the failed Discover coap-node answers no further request of
# that bootstrap session: no response at all, within the step's 5 s (and CoAP's
# retransmissions).
check "int-0 E: FAIL, Bootstrap-Finish got no response" \
    grep -q 'no response to POST /bs within 5.0 s' <(block "$TMP/cn.txt" int-0 E)

# int-9 C (ETS INT 1.2 6.1.1.10, criterion 3): after a Bootstrap-Write of only the Disable
# Timeout /1/0/5, the client has no LwM2M Server account it could register with, and must
# refuse the Bootstrap-Finish with 4.06 Not Acceptable (LwM2M TS 1.0 §5.2.7.3 lists 4.06 for
# a configuration the client cannot accept). coap-node answers 2.04 and leaves bootstrap.
check "int-9 C: FAIL, the inconsistent configuration was accepted with 2.04" \
    grep -q 'observed: 2.04 Changed' <(block "$TMP/cn.txt" int-9 C)
# int-203 A (ETS 6.1.3.3): the TLV Read of /3/0 must carry Error Code /3/0/11 and Supported
# Binding and Modes /3/0/16, both Mandatory resources of the Device object (LwM2M TS 1.0
# Appendix E.4); coap-node's Device object has neither.
check "int-203 A: FAIL, /3/0/11 and /3/0/16 are missing from the Read of /3/0" \
    grep -q '(/3/0/11 is missing; /3/0/16 is missing)' <(block "$TMP/cn.txt" int-203 A)
# int-680 A (ETS 6.1.6.4.9): a Create on the single-instance Device object must be refused
# with 4.05. coap-node's process dies on it (a TypeError in its request handler): the device
# stopped with the request in its hands, so the criterion FAILs with its exit status and the
# log's tail, and the cases after it run on the client started again.
check "int-680 A: FAIL, the client exited on the Create of /3, with its status and log tail" \
    grep -q 'observed: the device stopped while POST /3 awaited its answer: the device command exited with status 1 .* ends: .*reqHandler' \
    <(block "$TMP/cn.txt" int-680 A)
# int-1, int-4, int-8 (Bootstrap-Discover, -Read) are LwM2M 1.1; coap-node registers lwm2m=1.0
check "int-1, int-4, int-8: SKIPPED, not applicable to an LwM2M 1.0 client" \
    all grep -q '^SKIPPED  int-1 ' "$TMP/cn.txt" -- grep -q '^SKIPPED  int-4 ' "$TMP/cn.txt" -- \
        grep -q '^SKIPPED  int-8 ' "$TMP/cn.txt" -- grep -q 'needs lwm2m-1.1: the device is LwM2M 1.0' "$TMP/cn.txt"

check "coap-node: JUnit valid" valid_junit "$TMP/cn.xml"
check "coap-node: the report names the device command and its log" \
    all grep -q 'device command  NODE_PATH=' "$TMP/cn.txt" -- grep -q 'coap-node-device: Bootstrap-Request answered 2.04' "$TMP/device.log"
finish
