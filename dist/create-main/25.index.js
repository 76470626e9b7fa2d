export const id = 25;
export const ids = [25];
export const modules = {

/***/ 25:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  tunnelTo: () => (/* binding */ tunnelTo)
});

// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(67);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(708);
// EXTERNAL MODULE: external "node:tls"
var external_node_tls_ = __webpack_require__(692);
;// CONCATENATED MODULE: ./node_modules/@actions/http-client/lib/proxy.js
function getProxyUrl(reqUrl) {
    const usingSsl = reqUrl.protocol === 'https:';
    if (checkBypass(reqUrl)) {
        return undefined;
    }
    const proxyVar = (() => {
        if (usingSsl) {
            return process.env['https_proxy'] || process.env['HTTPS_PROXY'];
        }
        else {
            return process.env['http_proxy'] || process.env['HTTP_PROXY'];
        }
    })();
    if (proxyVar) {
        try {
            return new DecodedURL(proxyVar);
        }
        catch (_a) {
            if (!proxyVar.startsWith('http://') && !proxyVar.startsWith('https://'))
                return new DecodedURL(`http://${proxyVar}`);
        }
    }
    else {
        return undefined;
    }
}
function checkBypass(reqUrl) {
    if (!reqUrl.hostname) {
        return false;
    }
    const reqHost = reqUrl.hostname;
    if (isLoopbackAddress(reqHost)) {
        return true;
    }
    const noProxy = process.env['no_proxy'] || process.env['NO_PROXY'] || '';
    if (!noProxy) {
        return false;
    }
    // Determine the request port
    let reqPort;
    if (reqUrl.port) {
        reqPort = Number(reqUrl.port);
    }
    else if (reqUrl.protocol === 'http:') {
        reqPort = 80;
    }
    else if (reqUrl.protocol === 'https:') {
        reqPort = 443;
    }
    // Format the request hostname and hostname with port
    const upperReqHosts = [reqUrl.hostname.toUpperCase()];
    if (typeof reqPort === 'number') {
        upperReqHosts.push(`${upperReqHosts[0]}:${reqPort}`);
    }
    // Compare request host against noproxy
    for (const upperNoProxyItem of noProxy
        .split(',')
        .map(x => x.trim().toUpperCase())
        .filter(x => x)) {
        if (upperNoProxyItem === '*' ||
            upperReqHosts.some(x => x === upperNoProxyItem ||
                x.endsWith(`.${upperNoProxyItem}`) ||
                (upperNoProxyItem.startsWith('.') &&
                    x.endsWith(`${upperNoProxyItem}`)))) {
            return true;
        }
    }
    return false;
}
function isLoopbackAddress(host) {
    const hostLower = host.toLowerCase();
    return (hostLower === 'localhost' ||
        hostLower.startsWith('127.') ||
        hostLower.startsWith('[::1]') ||
        hostLower.startsWith('[0:0:0:0:0:0:0:1]'));
}
class DecodedURL extends URL {
    constructor(url, base) {
        super(url, base);
        this._decodedUsername = decodeURIComponent(super.username);
        this._decodedPassword = decodeURIComponent(super.password);
    }
    get username() {
        return this._decodedUsername;
    }
    get password() {
        return this._decodedPassword;
    }
}
//# sourceMappingURL=proxy.js.map
;// CONCATENATED MODULE: ./src/katapult/proxy-tunnel.ts
// The proxy path of transport.ts, imported only when the runner sets a proxy variable: the bundler
// emits it as a chunk of its own. Whether the proxy applies is @actions/http-client's rule
// (https_proxy or HTTPS_PROXY, no_proxy, loopback hosts always direct), as every toolkit action
// reads it. The CONNECT tunnel itself is made here rather than by http-client's `tunnel`
// dependency, so that a tunnel still being opened is closed with the step (a proxy that never
// answers must not keep the process alive), its failures name the proxy, and no deprecated
// Buffer() call prints a warning for every authenticated proxy. It imports nothing of the main
// chunk but types (its errors are made by the factory it is given): a module that two chunks
// share is kept apart by the bundler, and everything it imports with it, which slows every step.




/** An https agent whose connections are tunnels through the proxy. */
class TunnelAgent extends external_node_https_.Agent {
    #proxy;
    #shown;
    #userAgent;
    #opening = new Set();
    #failure;
    constructor(proxy, shown, userAgent, failure) {
        super({ keepAlive: true });
        this.#proxy = proxy;
        this.#shown = shown;
        this.#userAgent = userAgent;
        this.#failure = failure;
    }
    createConnection(options, callback) {
        // Node's agent reads no stream along with an error.
        const failed = (error) => {
            ;
            callback?.(error);
        };
        const target = `${options.host ?? ''}:${String(options.port ?? 443)}`;
        // getProxyUrl's URL gives its credentials decoded.
        const { username, password } = this.#proxy;
        const credentials = username || password ? `${username}:${password}` : '';
        const connectRequest = (this.#proxy.protocol === 'https:' ? external_node_https_ : external_node_http_).request({
            host: this.#proxy.hostname,
            port: this.#proxy.port || (this.#proxy.protocol === 'https:' ? 443 : 80),
            method: 'CONNECT',
            path: target,
            agent: false,
            headers: {
                Host: target,
                'User-Agent': this.#userAgent,
                ...(credentials ? { 'Proxy-Authorization': `Basic ${Buffer.from(credentials).toString('base64')}` } : {}),
            },
        });
        this.#opening.add(connectRequest);
        const settle = () => {
            this.#opening.delete(connectRequest);
        };
        connectRequest.once('connect', (response, socket) => {
            settle();
            const status = response.statusCode ?? 0;
            if (status !== 200) {
                socket.destroy();
                failed(this.#failure(this.#shown, target, { status }));
                return;
            }
            const servername = options.servername ?? options.host ?? '';
            callback?.(null, external_node_tls_.connect({ ...options, socket, servername }));
        });
        connectRequest.once('error', (cause) => {
            settle();
            failed(this.#failure(this.#shown, target, { cause }));
        });
        connectRequest.end();
        return undefined;
    }
    destroy() {
        for (const opening of this.#opening)
            opening.destroy();
        this.#opening.clear();
        super.destroy();
    }
}
/**
 * The tunnel to `base`, or undefined when http-client's rules (no_proxy, loopback) bypass the
 * proxy; `failure` makes the error for a proxy that refused or could not be reached.
 */
function tunnelTo(base, userAgent, failure) {
    const proxy = getProxyUrl(base);
    if (!proxy?.hostname)
        return undefined;
    // Named in messages by its origin: never with the credentials a proxy URL may hold.
    const shown = proxy.origin;
    return { agent: new TunnelAgent(proxy, shown, userAgent, failure), proxy: shown };
}


/***/ })

};
