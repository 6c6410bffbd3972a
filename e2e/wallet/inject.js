// Ballast Test Wallet: an EIP-1193 provider injected into test pages (via Playwright's
// context.addInitScript), bundled with esbuild into one IIFE at test time (wallet/index.mjs).
//
// It signs locally with test private keys (viem) and forwards every read to the anvil RPC
// URL. Tests steer it through `window.__ballastTestWallet` (see README.md):
//   __ballastTestWallet.set({ reject: true })      every approval-needing request -> 4001
//   __ballastTestWallet.set({ chainId: 1 })        report another chain (emits chainChanged)
//   __ballastTestWallet.set({ account: 2 })        switch account (emits accountsChanged)
//   __ballastTestWallet.set({ connected: false })  disconnect (emits accountsChanged([]))
//   __ballastTestWallet.set({ replaceNext: true })  the next eth_sendTransaction returns its hash but a
//                                                   0-value self-transfer with its nonce is mined instead
//                                                   (as when the user cancels it in the wallet)
//   __ballastTestWallet.set({ forgetChains: [31337] }) wallet_switchEthereumChain to them answers 4902
//   __ballastTestWallet.set({ hangTypedData: true })  eth_signTypedData_v4 answers nothing until set back to
//                                                     false, which signs what was held (a wallet that hangs on permits)
import { keccak256 } from "viem";
import { privateKeyToAccount } from "viem/accounts";

const CONFIG_GLOBAL = "__BALLAST_TEST_WALLET_CONFIG__";
const ANVIL_CHAIN_ID = 31337;

const ICON =
  "data:image/svg+xml;base64," +
  btoa(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#1f2937"/>' +
      '<path d="M8 22h16l-3-9H11z" fill="#f59e0b"/><rect x="14" y="7" width="4" height="6" fill="#f59e0b"/></svg>',
  );

// Methods that a real wallet would put in front of the user (and so can be rejected).
const NEEDS_APPROVAL = new Set([
  "eth_requestAccounts",
  "wallet_requestPermissions",
  "personal_sign",
  "eth_signTypedData_v4",
  "eth_sendTransaction",
  "wallet_switchEthereumChain",
  "wallet_addEthereumChain",
  "wallet_watchAsset",
]);
// Methods that need a connected account (else 4100, like MetaMask).
const NEEDS_ACCOUNT = new Set(["personal_sign", "eth_signTypedData_v4", "eth_sendTransaction"]);

class ProviderRpcError extends Error {
  constructor(code, message, data) {
    super(message);
    this.name = "ProviderRpcError";
    this.code = code;
    if (data !== undefined) this.data = data;
  }
}
const userRejected = () => new ProviderRpcError(4001, "User rejected the request.");
const unauthorized = (why) => new ProviderRpcError(4100, `The requested account and/or method has not been authorized by the user. ${why}`.trim());
const invalidParams = (why) => new ProviderRpcError(-32602, why);

const toHex = (n) => `0x${BigInt(n).toString(16)}`;
const isHexString = (s) => typeof s === "string" && /^0x[0-9a-fA-F]*$/.test(s);

function uuid4() {
  if (globalThis.crypto?.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function install() {
  // addInitScript runs in every frame and on every navigation; install once per window.
  if (window.__ballastTestWallet) return;
  const cfg = globalThis[CONFIG_GLOBAL] ?? {};
  try {
    delete globalThis[CONFIG_GLOBAL]; // keep keys out of reach of page scripts
  } catch {}
  const keys = cfg.privateKeys ?? (cfg.privateKey ? [cfg.privateKey] : []);
  if (!cfg.rpcUrl || keys.length === 0) throw new Error("Ballast test wallet: config needs rpcUrl and privateKeys");

  const state = {
    rpcUrl: cfg.rpcUrl,
    accounts: keys.map((k) => privateKeyToAccount(k)),
    accountIndex: cfg.accountIndex ?? 0,
    chainId: cfg.chainId ?? ANVIL_CHAIN_ID, // the chain id the wallet *reports*
    connected: !!cfg.connected,
    reject: !!cfg.reject,
    replaceNext: false,
    hangTypedData: false,
    knownChains: new Set([ANVIL_CHAIN_ID, ...(cfg.knownChainIds ?? [])]),
  };
  // `persist`: like a real wallet, remember the page's permission, account and chain across
  // reloads of the same tab (sessionStorage of the page's origin).
  const PERSIST_KEY = "__ballastTestWalletState";
  if (cfg.persist) {
    try {
      const saved = JSON.parse(sessionStorage.getItem(PERSIST_KEY) ?? "null");
      if (saved) Object.assign(state, { connected: saved.connected, accountIndex: saved.accountIndex, chainId: saved.chainId });
    } catch {}
  }
  const persist = () => {
    if (!cfg.persist) return;
    try {
      sessionStorage.setItem(PERSIST_KEY, JSON.stringify({ connected: state.connected, accountIndex: state.accountIndex, chainId: state.chainId }));
    } catch {}
  };
  const requests = []; // log of {method, params, result|error} for tests
  const heldTypedData = []; // eth_signTypedData_v4 requests held while hangTypedData is set
  const listeners = new Map();

  const account = () => state.accounts[state.accountIndex];
  const exposedAccounts = () => (state.connected ? [account().address] : []);

  function emit(event, payload) {
    persist();
    for (const fn of [...(listeners.get(event) ?? [])]) {
      try {
        fn(payload);
      } catch (e) {
        setTimeout(() => {
          throw e; // surface listener bugs as page errors without breaking the wallet
        });
      }
    }
  }

  // Forward a JSON-RPC call to anvil, keeping its error code/message/data intact (apps decode
  // revert data from eth_call/eth_estimateGas errors).
  let rpcId = 0;
  async function forward(method, params = []) {
    let res;
    try {
      res = await fetch(state.rpcUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: ++rpcId, method, params }),
      });
    } catch (e) {
      throw new ProviderRpcError(-32603, `RPC unreachable: ${e.message}`);
    }
    const body = await res.json();
    if (body.error) throw new ProviderRpcError(body.error.code, body.error.message, body.error.data);
    return body.result;
  }

  function requireAddress(addr) {
    if (typeof addr !== "string" || addr.toLowerCase() !== account().address.toLowerCase()) {
      throw unauthorized(`Unknown account ${addr}.`);
    }
  }

  async function sendTransaction(tx) {
    if (tx.from) requireAddress(tx.from);
    const from = account().address;
    const base = { from, to: tx.to ?? undefined, value: tx.value ?? "0x0", data: tx.data ?? tx.input ?? "0x" };
    const nonce = tx.nonce ?? (await forward("eth_getTransactionCount", [from, "pending"]));
    const gas = tx.gas ?? tx.gasLimit ?? (await forward("eth_estimateGas", [base]));
    const common = {
      chainId: state.chainId, // signed for the reported chain: anvil refuses it if they differ
      nonce: Number(BigInt(nonce)),
      gas: BigInt(gas),
      to: base.to,
      value: BigInt(base.value),
      data: base.data,
    };
    let request;
    if (tx.gasPrice !== undefined && tx.maxFeePerGas === undefined) {
      request = { ...common, type: "legacy", gasPrice: BigInt(tx.gasPrice) };
    } else {
      let maxPriorityFeePerGas = tx.maxPriorityFeePerGas;
      let maxFeePerGas = tx.maxFeePerGas;
      if (maxPriorityFeePerGas === undefined) maxPriorityFeePerGas = await forward("eth_maxPriorityFeePerGas");
      if (maxFeePerGas === undefined) {
        const block = await forward("eth_getBlockByNumber", ["latest", false]);
        maxFeePerGas = BigInt(block.baseFeePerGas ?? 0) * 2n + BigInt(maxPriorityFeePerGas);
      }
      request = {
        ...common,
        type: "eip1559",
        maxFeePerGas: BigInt(maxFeePerGas),
        maxPriorityFeePerGas: BigInt(maxPriorityFeePerGas),
        accessList: tx.accessList,
      };
    }
    const signed = await account().signTransaction(request);
    if (state.replaceNext) {
      state.replaceNext = false;
      // The user "cancels" it: the same nonce, to themselves, for nothing, at a higher fee.
      const bump = (v) => (v === undefined ? undefined : (BigInt(v) * 3n) / 2n + 1n);
      const cancel = { ...request, to: from, value: 0n, data: "0x", gas: 21_000n };
      if (request.type === "legacy") cancel.gasPrice = bump(request.gasPrice);
      else Object.assign(cancel, { maxFeePerGas: bump(request.maxFeePerGas), maxPriorityFeePerGas: bump(request.maxPriorityFeePerGas) });
      await forward("eth_sendRawTransaction", [await account().signTransaction(cancel)]);
      return keccak256(signed);
    }
    return forward("eth_sendRawTransaction", [signed]);
  }

  async function signTypedData(params) {
    const [addr, raw] = params ?? [];
    requireAddress(addr);
    const data = typeof raw === "string" ? JSON.parse(raw) : raw;
    if (!data?.types || !data.primaryType) throw invalidParams("Invalid typed data");
    const domainChain = data.domain?.chainId;
    // MetaMask refuses to sign for a chain other than the active one; so do we.
    if (domainChain !== undefined && domainChain !== null && Number(BigInt(domainChain)) !== state.chainId) {
      throw invalidParams(`Provided chainId "${domainChain}" must match the active chainId "${state.chainId}"`);
    }
    return account().signTypedData({
      domain: data.domain ?? {},
      types: data.types,
      primaryType: data.primaryType,
      message: data.message,
    });
  }

  function switchChain(chainIdHex) {
    const id = Number(BigInt(chainIdHex));
    if (!state.knownChains.has(id)) {
      throw new ProviderRpcError(4902, `Unrecognized chain ID "${chainIdHex}". Try adding the chain using wallet_addEthereumChain first.`);
    }
    setChain(id);
    return null;
  }

  function setChain(id) {
    if (id === state.chainId) return;
    state.chainId = id;
    emit("chainChanged", toHex(id));
  }

  async function handle(method, params) {
    if (NEEDS_APPROVAL.has(method) && state.reject) throw userRejected();
    if (NEEDS_ACCOUNT.has(method) && !state.connected) throw unauthorized("Connect first (eth_requestAccounts).");

    switch (method) {
      case "eth_requestAccounts":
      case "wallet_requestPermissions": {
        if (!state.connected) {
          state.connected = true;
          emit("accountsChanged", exposedAccounts());
        }
        return method === "eth_requestAccounts" ? exposedAccounts() : [{ parentCapability: "eth_accounts" }];
      }
      case "wallet_getPermissions":
        return state.connected ? [{ parentCapability: "eth_accounts" }] : [];
      case "wallet_revokePermissions":
        if (state.connected) {
          state.connected = false;
          emit("accountsChanged", []);
        }
        return null;
      case "eth_accounts":
        return exposedAccounts();
      case "eth_coinbase":
        return exposedAccounts()[0] ?? null;
      case "eth_chainId":
        return toHex(state.chainId);
      case "net_version":
        return String(state.chainId);
      case "personal_sign": {
        const [message, addr] = params ?? [];
        requireAddress(addr);
        // Like MetaMask: a 0x-hex payload is raw bytes, anything else is UTF-8 text.
        return account().signMessage({ message: isHexString(message) ? { raw: message } : String(message) });
      }
      case "eth_signTypedData_v4":
        if (state.hangTypedData) return new Promise((resolve, reject) => heldTypedData.push(() => signTypedData(params).then(resolve, reject)));
        return signTypedData(params);
      case "eth_sendTransaction":
        return sendTransaction(params?.[0] ?? {});
      case "wallet_switchEthereumChain":
        return switchChain(params?.[0]?.chainId);
      case "wallet_addEthereumChain": {
        const id = Number(BigInt(params?.[0]?.chainId));
        state.knownChains.add(id);
        setChain(id); // MetaMask offers to switch right after adding; the test user accepts
        return null;
      }
      case "wallet_watchAsset":
        return true;
      case "eth_sign":
      case "eth_signTransaction":
      case "eth_signTypedData":
      case "eth_signTypedData_v3":
        throw new ProviderRpcError(4200, `The Ballast test wallet does not support ${method}.`);
      default:
        return forward(method, params ?? []);
    }
  }

  const provider = {
    isBallastTestWallet: true,
    isMetaMask: false,
    async request(args) {
      if (!args || typeof args.method !== "string") throw invalidParams("request() needs { method, params? }");
      const { method, params } = args;
      const entry = { method, params };
      requests.push(entry);
      try {
        const result = await handle(method, params);
        entry.result = result;
        return result;
      } catch (e) {
        const err = e instanceof ProviderRpcError ? e : new ProviderRpcError(e.code ?? -32603, e.shortMessage ?? e.message);
        entry.error = { code: err.code, message: err.message };
        throw err;
      }
    },
    on(event, fn) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event).add(fn);
      return provider;
    },
    removeListener(event, fn) {
      listeners.get(event)?.delete(fn);
      return provider;
    },
    isConnected: () => true,
  };
  provider.off = provider.removeListener;
  provider.addListener = provider.on;

  // Test control surface.
  const control = {
    provider,
    requests,
    state() {
      return {
        address: account().address,
        accountIndex: state.accountIndex,
        addresses: state.accounts.map((a) => a.address),
        chainId: state.chainId,
        connected: state.connected,
        reject: state.reject,
        rpcUrl: state.rpcUrl,
      };
    },
    set(patch = {}) {
      if ("reject" in patch) state.reject = !!patch.reject;
      if ("account" in patch) {
        const want = patch.account;
        const idx =
          typeof want === "number" ? want : state.accounts.findIndex((a) => a.address.toLowerCase() === String(want).toLowerCase());
        if (!state.accounts[idx]) throw new Error(`Ballast test wallet: no account ${want}`);
        if (idx !== state.accountIndex) {
          state.accountIndex = idx;
          if (state.connected) emit("accountsChanged", exposedAccounts());
        }
      }
      if ("connected" in patch && !!patch.connected !== state.connected) {
        state.connected = !!patch.connected;
        emit("accountsChanged", exposedAccounts());
      }
      if ("chainId" in patch) {
        const id = Number(BigInt(patch.chainId));
        state.knownChains.add(id);
        setChain(id);
      }
      if ("replaceNext" in patch) state.replaceNext = !!patch.replaceNext;
      if ("hangTypedData" in patch) {
        state.hangTypedData = !!patch.hangTypedData;
        if (!state.hangTypedData) heldTypedData.splice(0).forEach((release) => release());
      }
      for (const id of patch.forgetChains ?? []) state.knownChains.delete(Number(BigInt(id)));
      return control.state();
    },
    emit,
  };
  Object.defineProperty(window, "__ballastTestWallet", { value: control, configurable: true });

  if (cfg.setWindowEthereum !== false) {
    Object.defineProperty(window, "ethereum", { value: provider, configurable: true, writable: true });
  }

  // EIP-6963 multi-wallet discovery (`announce: false`: an old wallet, window.ethereum only).
  if (cfg.announce === false) return;
  const info = Object.freeze({ uuid: uuid4(), name: "Ballast Test Wallet", icon: ICON, rdns: "dev.ballast.testwallet" });
  const detail = Object.freeze({ info, provider });
  const announce = () => window.dispatchEvent(new CustomEvent("eip6963:announceProvider", { detail }));
  window.addEventListener("eip6963:requestProvider", announce);
  announce();
}

install();
