#include "sim/faults.h"

#include "common/strbuf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Name, argument, what the device does wrong, and the ETS criterion a correct tool must
 * fail because of it. Keep docs/simdev.md in step with this table. */
static const sim_fault_info fault_table[] = {
    {SIM_FAULT_SKIP_SECOND_SERVER, "skip-second-server", NULL,
     "never registers with the server account whose Short Server ID is 2",
     "int-950 C/D"},
    {SIM_FAULT_SHARED_ATTRIBUTES, "shared-attributes", NULL,
     "keeps one attribute table for all servers: a server's Discover shows what another "
     "server wrote",
     "int-951 C"},
    {SIM_FAULT_IGNORE_WRITE_ATTRIBUTES, "ignore-write-attributes", NULL,
     "answers Write-Attributes with 2.04 but stores nothing",
     "int-951 C/D, int-260 F, int-710 E and int-910 F (notifications at C.5/C.9's default "
     "periods, every second as values change, not at pmin=2)"},
    {SIM_FAULT_WRITE_ATTRIBUTES_WRONG_CODE, "write-attributes-wrong-code", NULL,
     "answers a successful Write-Attributes with 2.05 Content instead of 2.04 Changed",
     "int-951 A/B"},
    {SIM_FAULT_DISCOVER_MISSING_RESOURCE, "discover-missing-resource", NULL,
     "leaves </3/0/16> (Supported Binding and Modes) out of Discover responses",
     "int-951 C/D"},
    {SIM_FAULT_DISCOVER_MALFORMED, "discover-malformed", NULL,
     "writes invalid link format: the first link loses its closing '>' "
     "(</3/0;pmin=2,</3/0/0>,...)",
     "int-951 C/D"},
    {SIM_FAULT_WRONG_LIFETIME, "wrong-lifetime", NULL,
     "registers with a hard-coded lifetime (lt=300, or 600 if the Server object says 300) "
     "instead of its Server object's Lifetime",
     "int-950 A/C (both server accounts)"},
    {SIM_FAULT_NO_RESPONSE, "no-response", "PATH",
     "never answers requests on PATH or below it (e.g. /3/0); a confirmable request is "
     "only acknowledged with an empty ACK",
     "the criteria of the steps that send to PATH (/3/0: int-951 A-D; /0/0, the first "
     "Bootstrap-Write: int-0 B)"},
    {SIM_FAULT_CRASH_ON, "crash-on", "PATH",
     "exits at once (status 70, as a crash) when a server request on PATH or below it "
     "arrives, before answering it",
     "the criterion of the step that sends to PATH (a FAIL: the device stopped with the "
     "request in its hands); the cases after it run on the device started again"},
    {SIM_FAULT_WRONG_IDENTITY, "wrong-identity", NULL,
     "uses server #1's PSK identity in the DTLS handshake with server #2, which refuses it",
     "int-950 C"},
    {SIM_FAULT_LATE_RESPONSE, "late-response", "MS",
     "answers every server request MS milliseconds late (empty ACK first, then a separate "
     "response)",
     "any criterion whose step deadline is shorter than MS"},
    {SIM_FAULT_BOOTSTRAP_NO_FINISH_RESPONSE, "bootstrap-no-finish-response", NULL,
     "never answers Bootstrap-Finish (but goes on to register)",
     "the Bootstrap-Finish 2.04 criteria: int-0 E, int-1 E, int-4 F, int-8 E"},
    {SIM_FAULT_BOOTSTRAP_WRITE_ERROR, "bootstrap-write-error", NULL,
     "answers every Bootstrap-Write with 4.00 Bad Request and stores nothing",
     "the Bootstrap-Write 2.04 criteria: int-0 C, int-1 C, int-4 B/F, int-8 B/C, int-9 B (and "
     "what an empty configuration breaks: the Discovers and Reads, the Finishes, int-1 F)"},
    {SIM_FAULT_BOOTSTRAP_KEEP_OLD_ACCOUNT, "bootstrap-keep-old-account", NULL,
     "after Bootstrap-Finish registers with its factory server accounts instead of the "
     "provisioned ones",
     "int-1 F, int-950 A-D: the provisioned servers never see a Register"},
    {SIM_FAULT_BOOTSTRAP_REQUEST_NO_EP, "bootstrap-request-no-ep", NULL,
     "leaves the ep parameter out of its Bootstrap-Request (POST /bs, or /bs?pct=11543 in "
     "LwM2M 1.1) and of its Bootstrap-Pack-Request (GET /bspack, LwM2M 1.2) although its PSK "
     "identity is not its endpoint name (LwM2M 1.1 §7.3.1), and retries the same request "
     "after every 4.00",
     "the Bootstrap-Request 2.04 criteria: int-0 A, int-1 A, int-4 A, int-8 A, int-9 A, int-12 A (and, "
     "as no bootstrap session follows, every later criterion of those cases)"},
    {SIM_FAULT_BOOTSTRAP_DELETE_ERROR, "bootstrap-delete-error", NULL,
     "answers every Bootstrap-Delete with 4.00 Bad Request and deletes nothing",
     "the Bootstrap-Delete 2.02 criterion int-4 D (and int-4 E: the instances are still "
     "there)"},
    {SIM_FAULT_BOOTSTRAP_DELETE_IGNORED, "bootstrap-delete-ignored", NULL,
     "answers Bootstrap-Delete with 2.02 Deleted but deletes nothing",
     "int-4 E: Bootstrap-Discover and -Read still show the deleted instances"},
    {SIM_FAULT_BOOTSTRAP_DELETE_ALL, "bootstrap-delete-all", NULL,
     "does not spare its own bootstrap account: a Bootstrap-Delete of / or /0 deletes that "
     "Security instance too (and one of the instance itself is not refused)",
     "int-4 E: Bootstrap-Discover no longer lists the bootstrap account </0/1>"},
    {SIM_FAULT_BOOTSTRAP_DISCOVER_NO_SSID, "bootstrap-discover-no-ssid", NULL,
     "lists the Security and Server instances in a Bootstrap-Discover without their ssid "
     "attributes",
     "int-0 D, int-1 D"},
    {SIM_FAULT_BOOTSTRAP_ACCEPT_INCONSISTENT, "bootstrap-accept-inconsistent", NULL,
     "answers Bootstrap-Finish 2.04 without checking the configuration, and leaves bootstrap "
     "even when no server account is complete",
     "int-9 C"},
    {SIM_FAULT_BOOTSTRAP_READ_ERROR, "bootstrap-read-error", NULL,
     "an LwM2M 1.1 device without Bootstrap-Read: answers it 4.05 Method Not Allowed",
     "int-4 C and int-8 D (LwM2M 1.1 only)"},
    {SIM_FAULT_NO_BOOTSTRAP_FALLBACK, "no-bootstrap-fallback", NULL,
     "never falls back to its bootstrap account when no server account can be registered "
     "with: retries the Registers for ever",
     "int-7 A-C: no Bootstrap-Request follows the failed registrations"},
    {SIM_FAULT_IGNORE_RETRY_TIMERS, "ignore-retry-timers", NULL,
     "with --registration-retry: accepts Writes of /1/x/17-20 but retries its Registers with "
     "the LwM2M 1.1 defaults (5 Registers, 60 s doubling, one sequence) whatever they hold",
     "int-7 A-C: its fallback comes long after the wait"},
    {SIM_FAULT_WRONG_VALUE, "wrong-value", "PATH",
     "reports a value other than its own at PATH or below it in Read, Observe and "
     "notifications (integers +1, floats +1.5, strings with \"-x\" appended, booleans "
     "negated)",
     "the criteria that compare those values: int-652 A (/3/0/3), int-701 C and int-710 D/F "
     "(/4/0/0), int-651 B/C (/3/0/14), int-1200 B and int-1201 C (/10/0/6), int-1210 B "
     "(/10/0/12), int-1630 D (/16/0/0/1), int-905 B/G and int-910 D/F (/7/0/8)"},
    {SIM_FAULT_MISSING_VALUE, "missing-value", "PATH",
     "leaves the resources at PATH or below it out of Read responses and notifications",
     "int-701 C (/4/0/4: the mandatory IP Addresses), int-905 B/F/G (/7/0/8), int-910 E (/7/0/2)"},
    {SIM_FAULT_IGNORE_WRITE, "ignore-write", "PATH",
     "answers a Write of PATH or below it 2.04 Changed and keeps the old value",
     "int-905 G and int-910 F (/7/0/8), int-1210 D (/10/0/13)"},
    {SIM_FAULT_CREATE_DEVICE_OBJECT, "create-device-object", NULL,
     "accepts a Create on the single-instance, mandatory Device object (2.01, a second "
     "instance /3/1) instead of 4.05 Method Not Allowed",
     "int-680 A"},
    {SIM_FAULT_CREATE_ERROR, "create-error", NULL,
     "answers every Create 4.00 Bad Request and creates nothing",
     "int-1630 B (and C/D: the new instance is missing)"},
    {SIM_FAULT_DELETE_IGNORED, "delete-ignored", NULL,
     "answers every Delete of an object instance 2.02 Deleted and deletes nothing (the "
     "Device instance /3/0 included, which it must refuse with 4.05)",
     "int-685 B, int-1635 C"},
    {SIM_FAULT_NO_NOTIFICATIONS, "no-notifications", NULL,
     "accepts an Observe (2.05 with the Observe option) but never sends a notification",
     "int-710 E/F, int-910 E/F"},
    {SIM_FAULT_NO_DIM, "no-dim", NULL,
     "leaves the dim attribute of multiple resources out of Discover",
     "int-1630 A/C, int-1635 A"},
    {SIM_FAULT_NO_OBJECT_VERSION, "no-object-version", NULL,
     "leaves ver out of the object's link in Discover although the object is not version "
     "1.0 (Cellular Connectivity 1.1)",
     "int-1201 A, int-1210 A"},
    {SIM_FAULT_DISCOVER_NO_OBJECT_LINK, "discover-no-object-link", NULL,
     "leaves the object's own link (</16>) out of a Discover of an object: its instances and "
     "resources only",
     "int-1635 A/C"},
    {SIM_FAULT_SENML_MALFORMED_RECORD, "senml-malformed-record", NULL,
     "in SenML JSON answers, one record carries two values (\"v\" and \"vs\"), which RFC "
     "8428 forbids",
     "the value criteria of reads answered in SenML JSON: int-4 C and int-8 D (--lwm2m 1.1, the device "
     "asking pct=110)"},
    {SIM_FAULT_SENML_WRONG_BASENAME, "senml-wrong-basename", NULL,
     "in SenML JSON answers, puts the instance in the base name and again in every name "
     "(bn \"/1/0/\", n \"0/1\": /1/0/0/1 instead of /1/0/1)",
     "the value criteria of reads answered in SenML JSON: int-4 C and int-8 D (--lwm2m 1.1, the device "
     "asking pct=110)"},
    {SIM_FAULT_CBOR_WRONG_MAJOR_TYPE, "cbor-wrong-major-type", NULL,
     "in SenML CBOR and LwM2M CBOR answers, sends numbers as text strings (CBOR major type 3 "
     "where the resource's integer, major type 0, belongs)",
     "the value criteria of reads answered in CBOR: int-4 C and int-8 D (--lwm2m 1.1, the device asking "
     "pct=112)"},
    {SIM_FAULT_PCT_UNSUPPORTED, "pct-unsupported", NULL,
     "asks for a format with pct in its Bootstrap-Request but cannot decode it: answers every "
     "Bootstrap-Write in that format 4.15 Unsupported Content-Format (a tool that ignores pct "
     "and writes TLV would not notice)",
     "the Bootstrap-Write 2.04 criteria, as bootstrap-write-error: int-0 C, int-1 C, int-4 "
     "B/F, int-8 B/C, int-9 B (LwM2M 1.1+)"},
    {SIM_FAULT_NO_CONTENT_FORMAT, "no-content-format", NULL,
     "leaves the Content-Format option out of its Read and Bootstrap-Read answers (the "
     "payload itself is right), as some real clients do",
     "only criteria on the Content-Format itself: int-401 B; value criteria (int-4 C, int-8 D) still "
     "pass, the tool reading the payload as the request's Accept, else recognised, with a "
     "note in the report"},
    {SIM_FAULT_REGISTER_NO_EP, "register-no-ep", NULL,
     "leaves the ep parameter out of its Register although its PSK identity is not its "
     "endpoint name (LwM2M 1.1 §7.3.1 allows it only when they are identical; 1.0 never: the "
     "server answers 4.00) and retries",
     "int-101 A/B, int-950 A-D (no registration: every case after needs one)"},
    {SIM_FAULT_IGNORE_LIFETIME_WRITE, "ignore-lifetime-write", NULL,
     "stores a Write of the Server object's Lifetime (/1/x/1) but sends no Update, so the "
     "server keeps the old lifetime",
     "int-102 B/C/D"},
    {SIM_FAULT_UPDATE_WITH_PARAMS, "update-with-params", NULL,
     "puts lt= and b= into every Update, also the periodic and triggered ones",
     "int-102 D (int-104 C, when int-102 is not run first)"},
    {SIM_FAULT_UPDATE_WRONG_LOCATION, "update-wrong-location", NULL,
     "sends its Updates to rd/0 instead of the location the Register got (the server "
     "answers 4.04)",
     "int-102 B/C/D (int-104 is then INCONCLUSIVE)"},
    {SIM_FAULT_UPDATE_AFTER_LIFETIME, "update-after-lifetime", NULL,
     "times its periodic Updates by 1.5 times the lifetime (at least 5 s past it): each comes "
     "after its registration has expired",
     "int-105 C (the Update of the dropped registration comes after its lifetime)"},
    {SIM_FAULT_STOP_UPDATES, "stop-updates", NULL,
     "never sends a periodic Update: the registration expires after its lifetime",
     "nothing in the ETS cases as the draft reads them: int-102 D accepts an expiry, and int-104 "
     "E asks only that the triggered Update kept the device registered through the initial "
     "lifetime (reregister-periodic fails it)"},
    {SIM_FAULT_IGNORE_DISABLE, "ignore-disable", NULL,
     "answers Execute Disable (/1/x/4) with 2.04 but stays registered",
     "int-103 B/C"},
    {SIM_FAULT_IGNORE_UPDATE_TRIGGER, "ignore-update-trigger", NULL,
     "answers Execute Registration Update Trigger (/1/x/8) with 2.04 but sends no Update",
     "int-104 C/D"},
    {SIM_FAULT_REBOOT_NO_REREGISTER, "reboot-no-reregister", NULL,
     "answers Execute Reboot (/3/0/4) with 2.04, reboots, and never registers again",
     "int-241 B"},
    {SIM_FAULT_IGNORE_PARTIAL_WRITE, "ignore-partial-write", NULL,
     "answers a partial-update Write (POST) on an object instance with 2.04 but changes nothing",
     "int-215 B, int-220 B"},
    {SIM_FAULT_IGNORE_REPLACE_WRITE, "ignore-replace-write", NULL,
     "answers a replacing Write (PUT) on an object instance with 2.04 but changes nothing",
     "int-215 C, int-220 C"},
    {SIM_FAULT_IGNORE_ACCEPT_TEXT, "ignore-accept-text", NULL,
     "answers a Read whose Accept asks for Plain Text (0) in TLV, its default format, instead "
     "of text/plain (or 4.06 Not Acceptable)",
     "int-201 A"},
    {SIM_FAULT_TEXT_WRITE_UNSUPPORTED, "text-write-unsupported", NULL,
     "has no Plain Text decoder: answers every Write in text/plain (0) 4.15 Unsupported "
     "Content-Format and changes nothing",
     "int-205 A/B/C (and the cases whose single-resource Writes are Plain Text, int-102)"},
    {SIM_FAULT_TEXT_WRITE_UNTERMINATED, "text-write-unterminated", NULL,
     "reads every Plain Text Write from one receive buffer it never cuts at the payload's "
     "length: a value shorter than the one before keeps that one's trailing characters "
     "(\"10\" written after \"2000\" is stored as 1000)",
     "int-205 C"},
    {SIM_FAULT_NOTIFY_EARLY, "notify-early", NULL,
     "sends each periodic notification at a quarter of its period: pmin is not honoured",
     "int-301 A, int-302 A, int-303 A"},
    {SIM_FAULT_NOTIFY_LATE, "notify-late", NULL,
     "sends each periodic notification at twice its period: pmax is not honoured",
     "int-301 A, int-302 A, int-303 A"},
    {SIM_FAULT_IGNORE_CANCEL, "ignore-cancel", NULL,
     "goes on notifying after the server cancelled the observation with a Reset or a GET with "
     "Observe: 1",
     "int-302 B, int-303 B"},
    {SIM_FAULT_DISCOVER_NO_INHERIT, "discover-no-inherit", NULL,
     "a Discover of a resource reports only the attributes written on the resource itself, "
     "not those it inherits from its instance and object (LwM2M 1.0 §5.4.2)",
     "int-260 F"},
    {SIM_FAULT_DISCOVER_INHERITED_EVERYWHERE, "discover-inherited-everywhere", NULL,
     "a Discover of an object or an instance writes every resource link with the attributes "
     "the resource inherits (</3/0/1>;pmin=10;pmax=200 after pmin and pmax were written on "
     "/3/0), not only those attached to it",
     "int-260 C/E"},
    {SIM_FAULT_OBSERVE_REFUSED, "observe-refused", "PATH",
     "answers an Observe of PATH or below it with 4.05 Method Not Allowed: it reads the "
     "resource but will not report it (a client that only observes values it expects to change)",
     "int-1230 C and D (/10/0/13: no observation, no notifications)"},
    {SIM_FAULT_SINGLE_OBSERVATION, "single-observation", NULL,
     "keeps one observation per server: a new Observe replaces the one before (an observer "
     "table with a single entry), so the first resource observed stops being reported",
     "int-1230 D (/10/0/12 silent once /10/0/13 is observed), int-301 A"},
    {SIM_FAULT_COMPOSITE_UNSUPPORTED, "composite-unsupported", NULL,
     "answers FETCH and iPATCH (Read-, Observe- and Write-Composite) with 4.05 Method Not "
     "Allowed, as a client without the LwM2M 1.1 composite operations (optional for a "
     "Client: not a fault the cases fail)",
     "int-281 A (where 4.05 is also an all-or-nothing refusal); int-230, int-235, int-236, "
     "int-257, int-280, int-304, int-305 are SKIPPED, not applicable"},
    {SIM_FAULT_COMPOSITE_BAD_REQUEST, "composite-bad-request", NULL,
     "answers FETCH and iPATCH (Read-, Observe- and Write-Composite) with 4.00 Bad Request, as "
     "a client whose composite operations cannot read a well-formed request",
     "int-230 A/B/C, int-235 A, int-236 A, int-257 B/C, int-280 A, int-281 A, int-304 B/C, "
     "int-305 A/B/C"},
    {SIM_FAULT_COMPOSITE_EXTRA, "composite-extra", NULL,
     "answers a Read-Composite or Observe-Composite with the whole object instance of every "
     "resource asked for, not only what was asked",
     "int-236 A, int-280 A, int-281 A"},
    {SIM_FAULT_COMPOSITE_ALL_OR_NOTHING, "composite-all-or-nothing", NULL,
     "answers a Read-Composite 4.04 Not Found as soon as one of its paths does not exist or "
     "is not readable, instead of leaving that path out (LwM2M 1.1 §5.4.6)",
     "int-236 A, int-281 A"},
    {SIM_FAULT_COMPOSITE_ROOT_SECURITY, "composite-root-security", NULL,
     "a Read-Composite of the root / includes the Security object's values (keys included)",
     "int-235 A"},
    {SIM_FAULT_WRITE_COMPOSITE_PARTIAL, "write-composite-partial", NULL,
     "stores only the first value of a Write-Composite, and answers 2.04 Changed",
     "int-230 C (int-257 C too)"},
    {SIM_FAULT_SEND_WHILE_MUTED, "send-while-muted", NULL,
     "goes on sending (POST /dp) while its Server object's Mute Send /1/x/23 is true",
     "int-307 C"},
    {SIM_FAULT_SEND_WRONG_FORMAT, "send-wrong-format", NULL,
     "sends its Send payload in TLV (11542), which LwM2M 1.1 §6.4.4 does not allow for Send",
     "int-306 B, int-311 A"},
    {SIM_FAULT_NO_SEND, "no-send", NULL,
     "never sends (no POST /dp), whatever its schedule or a SIGUSR1 says",
     "int-306 A/B, int-307 A/E, int-311 A"},
    {SIM_FAULT_OBSERVE_PARAMS_IGNORED, "observe-params-ignored", NULL,
     "ignores the notification attributes an Observe carries in its Uri-Query (LwM2M 1.2 "
     "§5.5.1): the attached ones (or the server's defaults) time the notifications",
     "int-312 B, int-313 C"},
    {SIM_FAULT_DISCOVER_DEPTH_IGNORED, "discover-depth-ignored", NULL,
     "ignores the depth parameter of a Discover (LwM2M 1.2 §5.4.2): answers as without it",
     "int-264 A/C, int-266 E"},
    {SIM_FAULT_WRITE_READ_ONLY, "write-read-only", NULL,
     "accepts a Write on a read-only resource (Short Server ID /1/x/0) with 2.04 and stores it",
     "int-256 A/B"},
    {SIM_FAULT_BSPACK_IGNORED, "bspack-ignored", NULL,
     "an LwM2M 1.2 device that asks for a Bootstrap-Pack (GET /bspack) and drops the 2.05 "
     "that brings it: it falls back to POST /bs, as if no pack had come",
     "int-12 B/C (no Register on the accounts the pack provisioned)"},
    {SIM_FAULT_UPDATE_404_KEEP, "update-404-keep", NULL,
     "takes an Update answered 4.04 Not Found for a hiccup: keeps its registration and "
     "updates it again later instead of registering anew",
     "int-105 D (no new Register after the 4.04)"},
    {SIM_FAULT_IGNORE_BOOTSTRAP_TRIGGER, "ignore-bootstrap-trigger", NULL,
     "answers Execute of the Bootstrap-Request Trigger (/1/x/9) with 2.04 but never goes to "
     "the bootstrap server",
     "int-5 B/C (no Bootstrap-Request, no bootstrap to finish)"},
    {SIM_FAULT_PID_WITH_OBJECTS, "pid-with-objects", NULL,
     "registers with its Profile ID (--pid) but lists the objects it stands for all the same",
     "int-110 A (an object list beside the pid)"},
    /* firmware update: sim/fw.c */
    {SIM_FAULT_FW_WRONG_INITIAL_RESULT, "fw-wrong-initial-result", NULL,
     "keeps the Update Result of its last update (1) in Idle instead of the initial value 0, "
     "even after the reset Write",
     "int-751 B, int-755 C, int-756 C"},
    {SIM_FAULT_FW_NO_DELIVERY_INFO, "fw-no-delivery-info", NULL,
     "leaves Firmware Update Protocol Support /5/0/8 and Delivery Method /5/0/9 out of Reads",
     "int-751 C"},
    {SIM_FAULT_FW_RESET_REFUSED, "fw-reset-refused", NULL,
     "answers the Write of '\\0' to Package /5/0/0 (or \"\" to Package URI /5/0/1) that resets "
     "the update 4.00 Bad Request",
     "int-755 A, int-756 A, int-770 A, int-771 A (and the preambles of int-772..780)"},
    {SIM_FAULT_FW_STUCK_DOWNLOADING, "fw-stuck-downloading", NULL,
     "stays in State 1 (Downloading) after the whole package arrived and checked fine",
     "int-755 F, int-756 F, int-760 D, int-770 C, int-771 D"},
    {SIM_FAULT_FW_IGNORE_BLOCK_SIZE, "fw-ignore-block-size", NULL,
     "places every Block1 of a pushed package at NUM x 512 bytes whatever its SZX says (a "
     "fixed 512-byte block buffer): a package pushed in 1024-byte blocks fails its integrity check",
     "int-755 F, int-760 D, int-770 C"},
    {SIM_FAULT_FW_WRONG_STATE_SEQUENCE, "fw-wrong-state-sequence", NULL,
     "shows State 3 (Updating) while it checks a downloaded package, before any Update",
     "int-771 D, int-776 C (pull)"},
    {SIM_FAULT_FW_RESULT_NOT_SET, "fw-result-not-set", NULL,
     "goes back to Idle after a failed download with the Update Result still 0",
     "int-773 D/E, int-775 D/E, int-776 D/E, int-777 D/E, int-778 D/E, int-780 C/D"},
    {SIM_FAULT_FW_UPDATE_WITHOUT_PACKAGE, "fw-update-without-package", NULL,
     "answers Execute Update /5/0/2 with 2.04 although no package was downloaded",
     "int-772 B"},
    {SIM_FAULT_FW_VERSION_UNCHANGED, "fw-version-unchanged", NULL,
     "reports success (Update Result 1) but keeps its old Firmware Version /3/0/3",
     "int-770 G, int-771 H"},
    {SIM_FAULT_FW_UPDATE_FAILS, "fw-update-fails", NULL,
     "fails every update: Update Result 8 and back to Downloaded",
     "int-770 F/G, int-771 G/H"},
    {SIM_FAULT_FW_ACCEPT_ANY_PACKAGE, "fw-accept-any-package", NULL,
     "checks neither the integrity nor the type of a package: both download to Downloaded",
     "int-776 C/D/E, int-777 C/D/E"},
    {SIM_FAULT_FW_NO_STORAGE_CHECK, "fw-no-storage-check", NULL,
     "does not check a package's size against its storage: a package larger than it ends "
     "with another Update Result (the truncated image fails its integrity check) instead of 2",
     "int-773 D/E"},
    {SIM_FAULT_FW_NO_DOWNLOAD_TIMEOUT, "fw-no-download-timeout", NULL,
     "does not notice a lost connection: a download cut halfway leaves it Downloading, "
     "without an Update Result",
     "int-775 D/E"},
    {SIM_FAULT_FW_INSTALL_FAILURE_HIDDEN, "fw-install-failure-hidden", NULL,
     "reports a failed installation as a success (Update Result 1), keeping its old version",
     "int-779 F/G"},
    {SIM_FAULT_FW_PROTOCOL_AS_INVALID_URI, "fw-protocol-as-invalid-uri", NULL,
     "reports a Package URI of a protocol it does not support as an invalid URI (7) instead "
     "of unsupported protocol (9)",
     "int-780-protocol C/D (the tool's reading)"},
    {SIM_FAULT_FW_FAKE_DOWNLOAD, "fw-fake-download", NULL,
     "takes a Package URI and reports Downloading, then Downloaded, without fetching anything",
     "int-756 F, int-771 C"},
    {SIM_FAULT_NOTIFY_LAG, "notify-lag", "MS",
     "sends each notification MS milliseconds after it is due (a slow timer, a CoAP "
     "retransmission on a lossy link): with 600, every 3.6 s under pmax=3",
     "nothing within the stated tolerance: int-301, int-302, int-303 and int-1230 PASS with "
     "600 (pmax + tolerance 1 s); with 2500 int-301 A fails unless --timing-tolerance widens it"},
    {SIM_FAULT_DISCOVER_NO_CONTENT_FORMAT, "discover-no-content-format", NULL,
     "leaves the Content-Format option out of its Discover and Bootstrap-Discover answers "
     "(the link-format payload itself is right)",
     "nothing: the ETS judges the payload, so int-0, int-951, int-1201, int-1210, int-1230 and "
     "int-1635 PASS with a note"},
    {SIM_FAULT_DISCOVER_WRONG_CONTENT_FORMAT, "discover-wrong-content-format", NULL,
     "labels its Discover and Bootstrap-Discover answers text/plain (0) instead of link "
     "format (40)",
     "int-951 C/D, int-0 D, int-1201 A, int-1210 A, int-1230 A, int-1635 A/C"},
    {SIM_FAULT_EXECUTE_REFUSED, "execute-refused", "PATH",
     "answers an Execute of PATH 4.05 Method Not Allowed and does nothing (a client that "
     "never implemented the resource's action)",
     "int-910 E (/7/0/6: Start refused)"},
    {SIM_FAULT_BOOTSTRAP_DISCOVER_NO_VERSION, "bootstrap-discover-no-version", NULL,
     "leaves the LwM2M version announcement (lwm2m=\"1.0\", </>;lwm2m=\"1.1\") out of a "
     "Bootstrap-Discover of /",
     "int-0 D"},
    {SIM_FAULT_JSON_UNSUPPORTED, "json-unsupported", NULL,
     "a Client without OMA JSON (optional in LwM2M 1.0 §6.4 and after): answers a Write in "
     "OMA JSON (11543) 4.15 Unsupported Content-Format",
     "nothing: int-220 is SKIPPED as not applicable (the device does not support OMA JSON)"},
    {SIM_FAULT_DELETE_REFUSED, "delete-refused", "PATH",
     "answers a Delete of the instance PATH 4.00 Bad Request and keeps it",
     "int-1635 B (/16/1: the second Delete) and C (the instance is still listed)"},
    {SIM_FAULT_REREGISTER_PERIODIC, "reregister-periodic", NULL,
     "when its lifetime timer runs out, registers afresh (a new Register) instead of sending an "
     "Update; a triggered Update is still an Update",
     "int-104 E (the registration is replaced before the initial lifetime has run out), "
     "int-102 D"},
    {SIM_FAULT_NOTIFY_BEFORE_CANCEL, "notify-before-cancel", NULL,
     "sends one more notification of an observation just before it answers the GET with "
     "Observe: 1 that cancels it (one in flight, which RFC 7641 allows)",
     "nothing: int-303 B counts only what arrives after the answer to the cancellation"},
    {SIM_FAULT_CREATE_UNAUTHORIZED, "create-unauthorized", NULL,
     "answers every Create 4.01 Unauthorized, as a Client that checks access control first",
     "int-680 A on a one-server configuration without Access Control (C.3: 4.01 has no cause "
     "there); on C.14 (two servers) int-680 passes"},
    {SIM_FAULT_COMPOSITE_STALE_NOTIFY, "composite-stale-notify", NULL,
     "notifies an Observe-Composite with the content its first answer had: an instance "
     "created since is never reported, a deleted one goes on being reported with its old "
     "values (values read once when the observation began, never again)",
     "int-308 F, int-309 G"},
    {SIM_FAULT_COMPOSITE_FIRST_PATH_TIMING, "composite-first-path-timing", NULL,
     "times an Observe-Composite by the attributes of its first path only, ignoring those "
     "attached to its other paths (a pmax on /3 does not reach an observation of /1/0/1 "
     "and /3/0)",
     "int-310 D"},
};

#define FAULT_COUNT (sizeof fault_table / sizeof fault_table[0])

const sim_fault_info *sim_fault_table(size_t *count)
{
    if (count)
        *count = FAULT_COUNT;
    return fault_table;
}

const sim_fault_info *sim_fault_find(const char *name)
{
    for (size_t i = 0; i < FAULT_COUNT; i++)
        if (strcmp(fault_table[i].name, name) == 0)
            return &fault_table[i];
    return NULL;
}

static int unknown_fault(const char *name, lc_error *err)
{
    char names[1024];
    size_t used = 0;
    names[0] = '\0';
    for (size_t i = 0; i < FAULT_COUNT && used < sizeof names; i++) {
        int n = snprintf(names + used, sizeof names - used, "%s%s%s", i ? ", " : "",
                         fault_table[i].name, fault_table[i].argument ? "=…" : "");
        if (n < 0)
            break;
        used += (size_t)n;
    }
    return lc_error_set(err, LC_EINVAL, "unknown fault '%s' (known: %s; --fault help describes them)",
                        name, names);
}

int sim_faults_add(sim_faults *f, const char *spec, lc_error *err)
{
    char name[64];
    const char *eq = strchr(spec, '=');
    size_t nlen = eq ? (size_t)(eq - spec) : strlen(spec);
    if (nlen == 0 || nlen >= sizeof name)
        return unknown_fault(spec, err);
    memcpy(name, spec, nlen);
    name[nlen] = '\0';
    const sim_fault_info *info = sim_fault_find(name);
    if (!info)
        return unknown_fault(name, err);
    const char *arg = eq ? eq + 1 : NULL;
    if (info->argument && (!arg || !*arg))
        return lc_error_set(err, LC_EINVAL, "fault '%s' needs an argument: --fault %s=%s",
                            name, name, info->argument);
    if (!info->argument && arg)
        return lc_error_set(err, LC_EINVAL, "fault '%s' takes no argument", name);

    switch (info->id) {
    case SIM_FAULT_NO_RESPONSE: {
        if (f->no_response_count == SIM_FAULT_MAX_PATHS)
            return lc_error_set(err, LC_EINVAL, "at most %d no-response paths",
                                SIM_FAULT_MAX_PATHS);
        lwm2m_path p;
        if (lwm2m_path_parse(arg, &p) != 0)
            return lc_error_set(err, LC_EINVAL,
                                "no-response=%s: not an LwM2M path such as /3/0", arg);
        f->no_response[f->no_response_count++] = p;
        break;
    }
    case SIM_FAULT_NOTIFY_LAG: {
        char *end = NULL;
        errno = 0;
        long ms = strtol(arg, &end, 10);
        if (errno || !end || *end || ms <= 0 || ms > 600000)
            return lc_error_set(err, LC_EINVAL,
                                "notify-lag=%s: expected milliseconds between 1 and 600000", arg);
        f->notify_lag_ms = (unsigned)ms;
        break;
    }
    case SIM_FAULT_LATE_RESPONSE: {
        char *end = NULL;
        errno = 0;
        long ms = strtol(arg, &end, 10);
        if (errno || !end || *end || ms <= 0 || ms > 600000)
            return lc_error_set(err, LC_EINVAL,
                                "late-response=%s: expected milliseconds between 1 and 600000",
                                arg);
        f->late_response_ms = (unsigned)ms;
        break;
    }
    case SIM_FAULT_CRASH_ON:
    case SIM_FAULT_WRONG_VALUE:
    case SIM_FAULT_MISSING_VALUE:
    case SIM_FAULT_IGNORE_WRITE:
    case SIM_FAULT_OBSERVE_REFUSED:
    case SIM_FAULT_EXECUTE_REFUSED:
    case SIM_FAULT_DELETE_REFUSED: {
        if (f->at_count == SIM_FAULT_MAX_PATHS)
            return lc_error_set(err, LC_EINVAL, "at most %d paths for %s and the like",
                                SIM_FAULT_MAX_PATHS, name);
        lwm2m_path p;
        if (lwm2m_path_parse(arg, &p) != 0)
            return lc_error_set(err, LC_EINVAL, "%s=%s: not an LwM2M path such as /3/0/3",
                                name, arg);
        f->at[f->at_count].id = info->id;
        f->at[f->at_count++].path = p;
        break;
    }
    default:
        break;
    }
    f->on[info->id] = true;
    return 0;
}

bool sim_faults_no_response(const sim_faults *f, const lwm2m_path *path)
{
    if (!f || !f->on[SIM_FAULT_NO_RESPONSE] || !path)
        return false;
    for (size_t i = 0; i < f->no_response_count; i++)
        if (lwm2m_path_is_under(path, &f->no_response[i]))
            return true;
    return false;
}

bool sim_faults_at(const sim_faults *f, sim_fault_id id, const lwm2m_path *path)
{
    if (!f || !f->on[id] || !path)
        return false;
    for (size_t i = 0; i < f->at_count; i++)
        if (f->at[i].id == id && lwm2m_path_is_under(path, &f->at[i].path))
            return true;
    return false;
}

int sim_faults_format_table(char *buf, size_t cap)
{
    size_t used = 0;
    if (cap)
        buf[0] = '\0';
    bufprintf(buf, cap, &used, "Faults (--fault NAME, repeatable):\n\n");
    for (size_t i = 0; i < FAULT_COUNT; i++) {
        char name[64];
        snprintf(name, sizeof name, "%s%s%s", fault_table[i].name,
                 fault_table[i].argument ? "=" : "",
                 fault_table[i].argument ? fault_table[i].argument : "");
        bufprintf(buf, cap, &used, "  %-30s %s\n  %-30s breaks: %s\n", name, fault_table[i].description, "",
             fault_table[i].breaks);
    }
    return (int)used;
}
