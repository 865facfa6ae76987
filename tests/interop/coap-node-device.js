// A device under test built from coap-node (npm, "Client node of lightweight M2M"), an LwM2M
// client this project did not write. lwm2m-conform starts it with --device-cmd; this driver
// only wires the library to the run: it bootstraps from LWM2M_CONFORM_BOOTSTRAP_URI (NoSec,
// coap://host:port), and coap-node then registers with the servers the bootstrap server
// wrote. Everything the device answers is the library's own behaviour.
//
// One adjustment: coap-node asks the 'network' package for the machine's active interface
// (it runs system tools for that) to fill its Connectivity Monitoring object and a mac=
// query parameter; the driver reports loopback instead, where the test runs.
'use strict';

const CoapNode = require('coap-node');
const SmartObject = require('smartobject');

const uri = process.env.LWM2M_CONFORM_BOOTSTRAP_URI || '';
const m = /^coap:\/\/(\[[^\]]+\]|[^:/]+):(\d+)\/?$/.exec(uri);
if (!m) {
    console.error(`coap-node-device: LWM2M_CONFORM_BOOTSTRAP_URI is "${uri}", not coap://host:port ` +
                  '(run with --bootstrap and a NoSec configuration, e.g. fixtures/c14-nosec.json)');
    process.exit(2);
}
const host = m[1].replace(/^\[|\]$/g, '');
const port = Number(m[2]);
const name = process.env.LWM2M_CONFORM_ENDPOINT || 'coap-node-dut';

const so = new SmartObject();
const node = new CoapNode(name, so, {
    lifetime: 86400,
    version: '1.0',
    manuf: 'lwm2m-conform',
    model: 'simdev-c14',
    serial: 'LC-0001',
    firmware: '1.0.0',
});
node._updateNetInfo = function (callback) {
    this.ip = '127.0.0.1';
    this.mac = '00:00:00:00:00:00';
    this.so.set('connMonitor', 0, 'ip', this.ip);
    setImmediate(() => callback(null, { ip: this.ip, mac: this.mac, routeIp: 'unknown' }));
};

node.on('bootstrapped', () => console.log('coap-node-device: bootstrap finished'));
node.on('registered', () => console.log('coap-node-device: registered'));
node.on('error', (err) => console.error(`coap-node-device: ${err && err.message}`));

console.log(`coap-node-device: ${name}: Bootstrap-Request to ${host}:${port}`);
node.bootstrap(host, port, (err, rsp) => {
    if (err)
        console.error(`coap-node-device: Bootstrap-Request failed: ${err.message}`);
    else
        console.log(`coap-node-device: Bootstrap-Request answered ${rsp.status}`);
});

// lwm2m-conform ends the device with SIGTERM at each reset and at the end of the run
for (const sig of ['SIGTERM', 'SIGINT'])
    process.on(sig, () => process.exit(0));
