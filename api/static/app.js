/* feecalc's page: a small vanilla-JS client of the HTTP API (/v1), no build step, no dependencies.
   Every figure comes from the API; the page only reads the form, sends it, and shows the answer.  Money stays a
   decimal string from the API to the screen (Intl formats the string itself; differences are worked in BigInt
   minor units), so no amount passes through a binary float; chart coordinates are the only floats. */
"use strict";
(() => {
  const $ = (sel, root = document) => root.querySelector(sel);
  const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));
  const VIEWS = ["quote", "compare", "dates", "file"];
  const NUMERIC = ["price", "shipping", "gift_wrap", "length", "width", "height", "weight", "age_days",
    "utilization_weeks"];
  const REQUIRED = ["price", "length", "width", "height", "weight", "category"];
  const ITEM_KEYS = ["marketplace", "on", ...NUMERIC, "dimension_unit", "weight_unit", "category", "apparel",
    "dangerous_goods", "sipp", "plan", "program", "seller_country"];
  const LINE_NAMES = {
    referral: "Referral fee", closing: "Closing fee", per_item: "Per-item fee (Individual plan)",
    fulfillment: "FBA fulfilment fee", fuel_surcharge: "Fuel and logistics surcharge", packaging: "Packaging fee",
    digital_services_fee: "Digital Services Fee", storage_monthly: "Monthly storage, per unit",
    storage_utilization_surcharge: "Storage utilization surcharge", aged_inventory_surcharge: "Aged-inventory surcharge",
    fba_packaging: "FBA packaging fee", cost_of_goods: "Cost of goods", inbound: "Inbound freight", prep: "Prep",
    advertising: "Advertising", returns: "Returns", shipping: "Shipping", labour: "Labour", storage: "Storage",
    aged_inventory: "Aged-inventory surcharge", storage_utilization: "Storage utilization surcharge",
    card: "Card fees", plan_share: "Plan, per unit", vat_on_fees: "VAT on Amazon's fees",
  };
  const CHANNEL_NAMES = { fba: "FBA", mfn: "Seller-fulfilled (MFN)", web_shop: "Own web shop" };
  const SELLER_ORDER = ["cost_of_goods", "inbound_per_unit", "inbound_per_kg", "inbound_per_cubic_foot",
    "prep_per_unit", "advertising_percent", "return_rate", "cost_per_return", "monthly_units", "days_in_inventory",
    "packaging_per_order", "labour_per_order", "own_storage_per_cubic_foot_month", "zone", "ship_via",
    "mcf_per_unit", "vat_registered"];
  const SELLER_LABELS = {
    cost_of_goods: "Cost of goods, per unit", inbound_per_unit: "Inbound freight, per unit",
    inbound_per_kg: "Inbound freight, per kg", inbound_per_cubic_foot: "Inbound freight, per cubic foot",
    prep_per_unit: "Prep and labelling, per unit", advertising_percent: "Advertising, % of the price",
    return_rate: "Return rate, %", cost_per_return: "Cost per return", monthly_units: "Units sold per month",
    days_in_inventory: "Days in inventory", packaging_per_order: "Packaging, per order",
    labour_per_order: "Pick and pack, per order", own_storage_per_cubic_foot_month: "Own storage, per cubic foot a month",
    zone: "Carrier zone", ship_via: "Web shop ships by", mcf_per_unit: "MCF fee per unit (web shop)",
    vat_registered: "VAT-registered", target_margin: "Target margin, % (optional)",
  };
  const SELLER_FIRST = ["cost_of_goods", "monthly_units", "days_in_inventory", "advertising_percent", "return_rate",
    "cost_per_return", "target_margin"];  // shown at once; the rest under "More costs and settings"
  const SELLER_CHOICES = { zone: ["1", "8-9", "average"], ship_via: ["carrier", "mcf"], vat_registered: ["true", "false"] };
  const SELLER_PERCENT = ["advertising_percent", "return_rate", "target_margin"];

  const state = {
    view: "quote", markets: [], profiles: [], store: null, locale: "", lastInput: 0, seq: {}, aborts: {},
    sellerDefaults: {}, sellerSet: new Set(), extras: [], storeKey: "", timers: {}, key: sessionStorage.getItem("feecalc.key") || "",
  };

  // ---- numbers and money in a locale ------------------------------------------------------------------------
  const localeTag = (loc) => (loc || "en_US").replace("_", "-");
  const effectiveLocale = () => state.locale || (state.store && state.store.locale) || "en_US";
  const symbolCache = {};
  function symbols(loc) {
    if (!symbolCache[loc]) {
      const parts = new Intl.NumberFormat(localeTag(loc)).formatToParts(12345.6);
      const group = (parts.find((p) => p.type === "group") || { value: "," }).value;
      const decimal = (parts.find((p) => p.type === "decimal") || { value: "." }).value;
      symbolCache[loc] = { group, decimal };
    }
    return symbolCache[loc];
  }
  const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  /* A number typed in the locale, strictly as Babel reads it on the server: the decimal symbol where the locale puts
     it, groups of three only with the locale's group symbol.  Returns {value: "1234.5"}, {empty: true} or {error}. */
  function parseNumber(text, loc) {
    const t = String(text).trim();
    if (!t) return { empty: true };
    const { group, decimal } = symbols(loc);
    const spaceGroup = /\s/.test(group) || group === "\u202f" || group === "\u00a0";
    const g = spaceGroup ? "[\\s\\u00a0\\u202f]" : escapeRe(group);
    const d = escapeRe(decimal);
    const re = new RegExp(`^(-?)(\\d{1,3}(?:${g}\\d{3})+|\\d+)(?:${d}(\\d+))?$`);
    const m = t.match(re);
    if (!m) {
      const example = new Intl.NumberFormat(localeTag(loc)).format(1234.5);
      return { error: `'${t}' is not a number in ${loc} (for example ${example})` };
    }
    const whole = m[2].replace(new RegExp(g, "g"), "");
    return { value: `${m[1]}${whole}${m[3] !== undefined ? "." + m[3] : ""}` };
  }
  /* A canonical decimal string ("24.99") as typed in the locale ("24,99"), without grouping. */
  function localNumber(value, loc) {
    if (value === undefined || value === null || value === "") return "";
    return String(value).replace(".", symbols(loc).decimal);
  }
  function money(amount, currency, loc = effectiveLocale()) {
    if (amount === null || amount === undefined) return "";
    try {
      const digits = amount.includes(".") ? amount.split(".")[1].length : 0;
      return new Intl.NumberFormat(localeTag(loc), { style: "currency", currency, minimumFractionDigits: digits,
        maximumFractionDigits: digits }).format(amount);
    } catch (e) {
      return `${amount} ${currency}`;
    }
  }
  function percent(ratio, loc = effectiveLocale()) {
    if (ratio === null || ratio === undefined) return "n/a";
    return new Intl.NumberFormat(localeTag(loc), { style: "percent", minimumFractionDigits: 1,
      maximumFractionDigits: 1 }).format(Number(ratio));
  }
  /* Exact minor units of a decimal string ("3.75" -> 375n with 2 places) and back: money differences without floats. */
  function toMinor(amount, places) {
    const [w, f = ""] = amount.replace("-", "").split(".");
    const v = BigInt(w + f.padEnd(places, "0"));
    return amount.startsWith("-") ? -v : v;
  }
  function fromMinor(v, places) {
    const neg = v < 0n;
    let s = (neg ? -v : v).toString().padStart(places + 1, "0");
    if (places) s = `${s.slice(0, -places)}.${s.slice(-places)}`;
    return (neg ? "-" : "") + s;
  }
  const placesOf = (a) => (a.includes(".") ? a.split(".")[1].length : 0);
  const humanize = (key) => String(key).replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());
  const lineName = (key) => LINE_NAMES[key] || humanize(key);

  // ---- DOM helpers -------------------------------------------------------------------------------------------
  function h(tag, attrs = {}, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") el.className = v;
      else if (k === "text") el.textContent = v;
      else if (k === "style") el.style.cssText = v;  // through the CSSOM: the page's CSP allows no style attributes
      else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c);
    return el;
  }
  const SVG = "http://www.w3.org/2000/svg";
  function s(tag, attrs = {}, ...children) {
    const el = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) el.setAttribute(k, v);
    for (const c of children.flat()) if (c) el.append(c);
    return el;
  }
  function setStatus(id, text, bad = false) {
    const el = $(`#${id}-status`);
    el.textContent = text;
    el.classList.toggle("bad", bad);
  }

  // ---- the API: key, errors, never a stack trace ---------------------------------------------------------------
  let keyPrompt = null;
  function askKey(message) {
    if (keyPrompt) return keyPrompt;
    const dialog = $("#key-dialog");
    $("#api-key-error").textContent = message || "";
    $("#api-key").value = "";
    keyPrompt = new Promise((resolve) => {
      const done = (key) => {
        dialog.removeEventListener("close", onClose);
        keyPrompt = null;
        resolve(key);
      };
      const onClose = () => {
        const key = dialog.returnValue === "ok" ? $("#api-key").value.trim() : "";
        done(key || null);
      };
      dialog.addEventListener("close", onClose);
      dialog.returnValue = "";
      dialog.showModal();
      $("#api-key").focus();
    });
    return keyPrompt;
  }
  function authHeaders() {
    return state.key ? { Authorization: `Bearer ${state.key}` } : {};
  }
  async function readProblem(resp) {
    const type = resp.headers.get("Content-Type") || "";
    if (type.includes("json")) {
      try {
        return await resp.json();
      } catch (e) { /* fall through */ }
    }
    return { status: resp.status, detail: `the service answered HTTP ${resp.status}` };
  }
  /* fetch a /v1 path; on 401, ask for the key (one question however many requests are waiting) and try again.
     Returns {ok, status, data}. */
  async function api(path, { method = "GET", body = null, signal = null } = {}) {
    for (;;) {
      const sent = state.key;
      let resp;
      try {
        resp = await fetch(path, {
          method, signal, headers: { ...authHeaders(), ...(body ? { "Content-Type": "application/json" } : {}) },
          body: body ? JSON.stringify(body) : null,
        });
      } catch (e) {
        if (e.name === "AbortError") return { aborted: true };
        return { ok: false, status: 0, data: { detail: "the service did not answer (is feecalc serve running?)" } };
      }
      if (resp.status === 401) {
        const problem = await readProblem(resp);
        if (state.key !== sent) continue;  // another request got a new key meanwhile: try that one
        if (!(await newKey())) return { ok: false, status: 401, data: problem };
        continue;
      }
      if (!resp.ok) return { ok: false, status: resp.status, data: await readProblem(resp) };
      try {
        return { ok: true, status: resp.status, data: await resp.json(), headers: resp.headers };
      } catch (e) {
        return { ok: false, status: resp.status, data: { detail: "the service's answer could not be read" } };
      }
    }
  }
  /* Ask for a key (saying the last one was refused, if there was one); keep it for the session.  False: cancelled. */
  async function newKey() {
    const key = await askKey(state.key ? "That key was not accepted." : "");
    if (!key) return false;
    state.key = key;
    sessionStorage.setItem("feecalc.key", key);
    return true;
  }

  // ---- errors at the fields ------------------------------------------------------------------------------------
  const FIELD_ALIASES = { date: "on" };
  function fieldFor(name, forms) {
    if (!name) return null;
    const bare = String(name).replace(/^items\[\d+\]\./, "");
    const key = FIELD_ALIASES[bare] || bare;
    for (const form of forms) {
      const el = form.querySelector(`[name="${key}"]`);
      if (el) return el;
    }
    return null;
  }
  function clearErrors(form) {
    $$("[aria-invalid=true]", form).forEach((el) => el.removeAttribute("aria-invalid"));
    $$(".error", form).forEach((el) => { el.textContent = ""; });
    const general = $(".form-error", form);
    if (general) general.textContent = "";
  }
  function showFieldError(el, message) {
    el.setAttribute("aria-invalid", "true");
    const prefix = `${el.name}: `;  // at the field, its name need not be said again
    if (message.startsWith(prefix)) message = message.slice(prefix.length);
    const slot = document.getElementById(`${el.id}-error`);
    if (slot) slot.textContent = slot.textContent ? `${slot.textContent}; ${message}` : message;
  }
  /* A problem's errors[] at the inputs they name; the rest (and the detail) in the form's general message. */
  function showProblem(problem, forms, generalEl) {
    forms.forEach(clearErrors);
    const rest = [];
    for (const e of problem.errors || []) {
      const el = fieldFor(e.field, forms);
      if (el) showFieldError(el, e.message);
      else rest.push(e.field ? `${e.field}: ${e.message}` : e.message);
    }
    if (generalEl) {
      const placed = (problem.errors || []).length - rest.length;
      generalEl.textContent = rest.length || !placed ? [problem.detail, ...rest].filter(Boolean).join(" ") : "";
    }
  }

  // ---- the item form -------------------------------------------------------------------------------------------
  const itemForm = () => $("#item");
  /* The item as the API takes it: numbers as decimal strings read in the locale, options only where set. */
  function readItem() {
    const f = itemForm();
    const loc = effectiveLocale();
    const body = { marketplace: f.marketplace.value || "US" };
    const errors = {};
    const missing = [];
    if (f.on.value) body.on = f.on.value;
    for (const name of NUMERIC) {
      const el = f[name];
      if (el.closest("[hidden]")) continue;
      const n = parseNumber(el.value, loc);
      if (n.error) errors[name] = n.error;
      else if (!n.empty) body[name] = n.value;
      else if (REQUIRED.includes(name)) missing.push(name);
    }
    body.dimension_unit = f.dimension_unit.value;
    body.weight_unit = f.weight_unit.value;
    const category = f.category.value.trim();
    if (category) body.category = category;
    else missing.push("category");
    const visible = (name) => !f[name].closest("[hidden]");
    if (visible("apparel") && f.apparel.value) body.apparel = f.apparel.value === "true";
    if (visible("dangerous_goods") && f.dangerous_goods.checked) body.dangerous_goods = true;
    if (visible("sipp") && f.sipp.checked) body.sipp = true;
    if (visible("plan") && f.plan.value && f.plan.value !== "professional") body.plan = f.plan.value;
    if (visible("program") && f.program.value && f.program.value !== "standard") body.program = f.program.value;
    if (visible("seller_country") && f.seller_country.value && f.seller_country.value !== body.marketplace) {
      body.seller_country = f.seller_country.value;
    }
    for (const f of state.extras) {  // inputs the form does not lay out itself, as /v1/inputs lists them
      const el = f_(f.name);
      if (!el) continue;
      if (el.type === "checkbox") {
        if (el.checked) body[f.name] = true;
      } else if (el.tagName === "SELECT") {
        if (el.value !== "" && String(el.value) !== String(f.default ?? "")) body[f.name] = f.kind === "tristate" ? el.value === "true" : el.value;
      } else if (NUMBER_KINDS.includes(f.kind)) {
        const n = parseNumber(el.value, loc);
        if (n.error) errors[f.name] = n.error;
        else if (!n.empty) body[f.name] = n.value;
      } else if (el.value.trim()) body[f.name] = el.value.trim();
    }
    return { body, errors, missing };
  }
  const f_ = (name) => document.getElementById(`extra-${name}`);
  const NUMBER_KINDS = ["money", "positive", "weeks", "age", "days", "days_of_supply"];
  /* Every input of the store's form (/v1/inputs `fields`, from feecalc.spec) that the page does not lay out itself gets
     a field under "More inputs", by its kind: so a new input of the library appears without a change here. */
  function renderExtraFields(fields, params) {
    const laid = new Set($$("#item [name]").filter((el) => !el.id.startsWith("extra-")).map((el) => el.name));
    const extras = fields.filter((f) => !laid.has(f.name));
    const known = state.extras.map((f) => f.name).join();
    state.extras = extras;
    $("#extra-inputs").hidden = !extras.length;
    if (known === extras.map((f) => f.name).join()) return;
    const loc = effectiveLocale();
    $("#extra-fields").replaceChildren(...extras.map((f) => {
      const id = `extra-${f.name}`;
      const described = `${id}-hint ${id}-error`;
      let input;
      if (f.kind === "flag") input = h("input", { id, name: f.name, type: "checkbox", "aria-describedby": described });
      else if (f.kind === "tristate" || f.choices) {
        // a choice with no default (placement) may be left not given: its first option
        const values = f.kind === "tristate" ? ["", "true", "false"] : f.default == null ? ["", ...f.choices] : f.choices;
        input = h("select", { id, name: f.name, "aria-describedby": described }, values.map((v) =>
          h("option", { value: v, text: v === "" ? "not given" : v === "true" ? "yes" : v === "false" ? "no" : v })));
        input.value = f.kind === "tristate" ? "" : String(f.default ?? values[0]);
      } else {
        input = h("input", { id, name: f.name, type: "text", autocomplete: "off", "aria-describedby": described,
          inputmode: NUMBER_KINDS.includes(f.kind) ? "decimal" : null });
      }
      const given = params && params.get(f.name);
      if (given !== null && given !== undefined) {
        if (input.type === "checkbox") input.checked = given === "true";
        else input.value = NUMBER_KINDS.includes(f.kind) ? localNumber(given, loc) : given;
      }
      const label = h("label", { for: id, text: humanize(f.name) });
      const hint = h("p", { class: "hint", id: `${id}-hint`, text: f.description });
      const error = h("p", { class: "error", id: `${id}-error` });
      return input.type === "checkbox" ? h("div", { class: "check" }, input, label, hint, error)
        : h("div", { class: "field" }, label, input, hint, error);
    }));
    if (params && extras.some((f) => params.has(f.name))) $("#extra-inputs").open = true;
  }
  function fillItem(params) {
    const f = itemForm();
    const loc = effectiveLocale();
    for (const name of NUMERIC) if (params.has(name)) f[name].value = localNumber(params.get(name), loc);
    for (const name of ["category", "on"]) if (params.has(name)) f[name].value = params.get(name);
    for (const name of ["dimension_unit", "weight_unit"]) {
      if (params.has(name)) f[name].value = params.get(name);
    }
    if (params.has("apparel")) f.apparel.value = params.get("apparel");
    f.dangerous_goods.checked = params.get("dangerous_goods") === "true";
    f.sipp.checked = params.get("sipp") === "true";
  }
  function reformatNumbers(fromLoc, toLoc) {
    if (fromLoc === toLoc) return;
    const inputs = [...NUMERIC.map((n) => itemForm()[n]), ...$$("#seller-fields input[type=text]"),
      ...$$("#seller-more-fields input[type=text]"),
      ...state.extras.filter((f) => NUMBER_KINDS.includes(f.kind)).map((f) => f_(f.name)).filter(Boolean)];
    for (const el of inputs) {
      const n = parseNumber(el.value, fromLoc);
      if (!n.empty && !n.error) el.value = localNumber(n.value, toLoc);
    }
  }

  // ---- the store: options, units, categories, schedule -----------------------------------------------------------
  function fillSelect(select, values, labels = {}, keep = true) {
    const before = select.value;
    select.replaceChildren(...values.map((v) => h("option", { value: v, text: labels[v] || v })));
    if (keep && values.includes(before)) select.value = before;
  }
  const storeKey = () => `${itemForm().marketplace.value || "US"}|${itemForm().on.value}`;
  /* The store and date of the form, loaded once per change: callers asking for the same one share one request, and
     an answer for a store or date the form no longer shows is dropped for the one it shows. */
  async function loadStore(pending = null) {
    const key = storeKey();
    if (state.store && state.storeKey === key) return true;
    if (state.loading && state.loading.key === key) return state.loading.promise;
    const promise = fetchStore(key, pending);
    state.loading = { key, promise };
    const ok = await promise;
    if (state.loading && state.loading.key === key) state.loading = null;
    return storeKey() === key ? ok : loadStore(pending);
  }
  async function fetchStore(key, pending) {
    const f = itemForm();
    const [code, on] = key.split("|");
    const res = await api(`/v1/inputs?marketplace=${encodeURIComponent(code)}${on ? `&on=${on}` : ""}`);
    if (storeKey() !== key) return false;
    if (!res.ok) {
      showProblem(res.data, [f], $("#form-error"));
      if (!(res.data.errors || []).length) {
        const el = res.data.detail && /date|table/i.test(res.data.detail) ? f.on : f.marketplace;
        showFieldError(el, res.data.detail);
        $("#form-error").textContent = "";
      }
      $("#on-hint").textContent = "";
      return false;
    }
    const before = effectiveLocale();
    const store = res.data;
    const firstStore = !state.store || state.store.marketplace !== store.marketplace;
    state.store = store;
    state.storeKey = key;
    reformatNumbers(before, effectiveLocale());
    const t = store.table;
    $("#on-hint").textContent = `Fee schedule in force on ${store.date}: ${t.id}, ${t.title} (${t.effective_from} to ` +
      `${t.effective_to}).`;
    $$("[data-currency]").forEach((el) => { el.textContent = `(${store.currency})`; });
    const opts = store.options;
    const show = (name, yes) => { $(`[data-option="${name}"]`).hidden = !yes; };
    show("apparel", opts.apparel);
    show("dangerous_goods", opts.dangerous_goods);
    show("sipp", opts.sipp);
    show("program", opts.programs.length > 1);
    show("plan", opts.plans.length > 1);
    show("seller_country", opts.seller_countries.length > 1);
    show("age_days", opts.age_days);
    show("utilization_weeks", opts.utilization_weeks);
    fillSelect(f.program, opts.programs, { standard: "standard (local stock)" });
    fillSelect(f.plan, opts.plans);
    fillSelect(f.seller_country, opts.seller_countries, { [store.marketplace]: `${store.marketplace} (the store's own)` });
    if (firstStore) f.seller_country.value = store.marketplace;
    if (pending) {
      for (const name of ["program", "plan", "seller_country"]) if (pending.has(name)) f[name].value = pending.get(name);
    }
    const units = JSON.parse(localStorage.getItem("feecalc.units") || "null");
    if (firstStore && !(pending && pending.has("dimension_unit"))) {
      f.dimension_unit.value = (units && units.dimension_unit) || store.units.length;
    }
    if (firstStore && !(pending && pending.has("weight_unit"))) {
      f.weight_unit.value = (units && units.weight_unit) || store.units.weight;
    }
    const list = $("#categories");
    const options = [];
    const names = Object.fromEntries(store.categories.map((c) => [c.key, c.name]));
    for (const c of store.categories) options.push(h("option", { value: c.name, label: c.key }));
    for (const g of store.product_groups || []) {  // Amazon's product-group names, as the store's file maps them
      const to = g.category ? names[g.category] || g.category : `one of ${g.candidates.map((c) => names[c] || c).join(", ")}`;
      options.push(h("option", { value: g.name, label: `product group: ${to}${g.own_reading ? " (feecalc's reading)" : ""}` }));
    }
    list.replaceChildren(...options);
    renderExtraFields(store.fields || [], pending);
    renderSellerForm();
    return true;
  }

  // ---- URL state: the item and its options, so a link reproduces the view ------------------------------------------
  function writeURL() {
    const { body } = readItem();
    const params = new URLSearchParams();
    if (state.view !== "quote") params.set("view", state.view);
    for (const k of [...ITEM_KEYS, ...state.extras.map((f) => f.name)]) if (body[k] !== undefined) params.set(k, String(body[k]));
    if (state.locale) params.set("locale", state.locale);
    for (const k of ["date_a", "date_b"]) if ($(`#${k}`).value) params.set(k, $(`#${k}`).value);
    const seller = readSeller();
    for (const [k, v] of Object.entries(seller.body)) params.set(k, String(v));
    const url = `${location.pathname}?${params}`;
    if (url !== location.pathname + location.search) history.replaceState(null, "", url);  // the browser throttles it
  }

  // ---- copy as API request ---------------------------------------------------------------------------------------
  function renderApi(id, path, body) {
    const url = `${location.origin}${path}`;
    const json = JSON.stringify(body, null, 2);
    const auth = state.key ? " \\\n  -H \"Authorization: Bearer $FEECALC_API_KEY\"" : "";
    const curl = `curl -s '${url}' \\\n  -H 'Content-Type: application/json'${auth} \\\n  -d '${json.replace(/'/g, "'\\''")}'`;
    const pyAuth = state.key ? `, "Authorization": "Bearer " + os.environ["FEECALC_API_KEY"]` : "";
    const python = [
      `import json${state.key ? ", os" : ""}, urllib.request`,
      "",
      `body = ${json.replace(/\btrue\b/g, "True").replace(/\bfalse\b/g, "False").replace(/\bnull\b/g, "None")}`,
      `request = urllib.request.Request("${url}", data=json.dumps(body).encode(),`,
      `                                 headers={"Content-Type": "application/json"${pyAuth}})`,
      "print(json.dumps(json.load(urllib.request.urlopen(request)), indent=2))",
    ].join("\n");
    const block = (lang, text) => {
      const pre = h("pre", { "data-lang": lang, tabindex: "0", "aria-label": `${lang} request` }, h("code", { text }));
      const button = h("button", { type: "button", class: "copy", text: `Copy ${lang}`, onclick: async () => {
        try {
          await navigator.clipboard.writeText(text);
          button.textContent = `Copied ${lang}`;
        } catch (e) {
          const range = document.createRange();
          range.selectNodeContents(pre);
          getSelection().removeAllRanges();
          getSelection().addRange(range);
          button.textContent = "Selected: press Ctrl+C";
        }
      } });
      return h("div", {}, pre, button);
    };
    $(`#${id}-api .api-body`).replaceChildren(block("curl", curl), block("Python", python));
  }

  // ---- quote -------------------------------------------------------------------------------------------------------
  function begin(name) {
    state.seq[name] = (state.seq[name] || 0) + 1;
    if (state.aborts[name]) state.aborts[name].abort();
    state.aborts[name] = new AbortController();
    return [state.seq[name], state.aborts[name].signal];
  }
  const current = (name, seq) => state.seq[name] === seq;
  function clientErrors(errors, form) {
    clearErrors(form);
    for (const [name, message] of Object.entries(errors)) showFieldError(form[name] || fieldFor(name, [form]), message);
    return Object.keys(errors).length > 0;
  }
  /* No answer for the item as it stands: say why, and mark an earlier answer still on screen as an earlier one. */
  function stale(view, text, bad = true) {
    const result = $(`#${view}-result`);
    const earlier = result.childElementCount > 0;
    result.classList.toggle("stale", earlier);
    setStatus(view, earlier ? `${text} The figures below are for the item as it was before.` : text, bad);
    const timing = $(`#${view}-timing`);
    if (timing) timing.textContent = "";
  }
  function missingText(missing) {
    return `Enter ${missing.map((m) => m.replace("_", " ")).join(", ")} to see the fees.`;
  }
  async function runQuote() {
    const started = state.lastInput || performance.now();
    state.lastInput = 0;
    const [seq, signal] = begin("quote");  // first: an answer still on its way is for an older item, and dropped
    const { body, errors, missing } = readItem();
    writeURL();
    if (clientErrors(errors, itemForm())) return stale("quote", "Correct the fields marked in the form.");
    if (missing.length) return stale("quote", missingText(missing), false);
    if (!(await loadStore())) return setStatus("quote", "The store or date has no fee table.", true);
    if (!current("quote", seq)) return;
    const loc = effectiveLocale();
    const path = `/v1/quotes?explain=true&locale=${loc}`;
    $("#quote-result").setAttribute("aria-busy", "true");
    const sent = performance.now();
    const res = await api(path, { method: "POST", body, signal });
    if (res.aborted || !current("quote", seq)) return;
    const answered = performance.now();
    $("#quote-result").setAttribute("aria-busy", "false");
    renderApi("quote", path, body);
    if (!res.ok) {
      showProblem(res.data, [itemForm()], $("#form-error"));
      return stale("quote", `Not quoted: ${res.data.detail || "the item has invalid fields"}.`);
    }
    clearErrors(itemForm());
    renderQuote(res.data);
    $("#quote-result").classList.remove("stale");
    const done = performance.now();
    const ms = Math.round(done - started);
    const result = $("#quote-result");  // the timings, for benchmarks/page.py: typing to fees on screen, and its parts
    Object.assign(result.dataset, { waitMs: String(Math.round(sent - started)), requestMs: String(Math.round(answered - sent)),
      renderMs: String(Math.round(done - answered)), latencyMs: String(ms) });
    setStatus("quote", "");  // the live region speaks only of problems; the timing is shown, not announced
    $("#quote-timing").textContent = `Quoted in ${ms} ms.`;
  }
  function feeAmount(q, key) {
    const fee = q.fees[key];
    if (fee && fee.amount !== null && fee.amount !== undefined) return { amount: fee.amount, display: fee.display };
    return { unavailable: (q.unavailable || {})[key] || (fee && fee.unavailable) || "unavailable" };
  }
  function lineKeys(q) {
    const keys = Object.keys(q.explanation || {});
    for (const k of [...Object.keys(q.fees || {}), ...Object.keys(q.unavailable || {})]) if (!keys.includes(k)) keys.push(k);
    return keys;
  }
  function feeRow(q, key, extra = null) {
    const a = feeAmount(q, key);
    const how = (q.explanation || {})[key];
    const amount = a.unavailable !== undefined
      ? h("td", { class: "num unavailable", text: "unavailable" })
      : h("td", { class: "num", text: a.display || money(a.amount, q.currency) });
    const range = (q.ranges || {})[key];  // a line Amazon publishes as a range (low, high), where the API gives one
    const rangeText = range ? h("p", { text: `published range: ${range.low === null ? "?" : money(range.low, q.currency)} to ` +
      `${range.high === null ? "?" : money(range.high, q.currency)}` }) : "";
    const detail = a.unavailable !== undefined
      ? h("p", { class: "reason", text: a.unavailable })
      : how ? h("details", {}, h("summary", { text: "How" }), h("p", { text: how }), rangeText) : "";
    return h("tr", { "data-line": key }, h("th", { scope: "row", text: lineName(key) }), amount, h("td", {}, detail), extra);
  }
  function renderQuote(q) {
    const dl = h("dl", { class: "summary" });
    const item = (label, value, attrs = {}) => dl.append(h("div", attrs, h("dt", { text: label }), h("dd", { text: value })));
    item("Size tier", humanize(q.size_tier), { "data-field": "size_tier" });
    item("Dimensional weight", `${q.dimensional_weight} ${q.weight_unit}`);
    item("Shipping weight", `${q.shipping_weight} ${q.weight_unit}`);
    item("Programme", q.program);
    item("Fee table", q.table_id, { "data-field": "table_id" });
    if (q.vat_in_price) item("VAT in the price", money(q.vat_in_price, q.currency));
    const keys = lineKeys(q);
    const inTotal = keys.filter((k) => (q.total_lines || keys).includes(k));
    const others = keys.filter((k) => !inTotal.includes(k));
    const body = h("tbody", {}, inTotal.map((k) => feeRow(q, k)));
    const total = q.total
      ? h("td", { class: "num", text: q.total.display || money(q.total.amount, q.currency) })
      : h("td", { class: "num unavailable", text: "unavailable" });
    body.append(h("tr", { class: "total", "data-line": "total" }, h("th", { scope: "row", text: "Total" }), total,
      h("td", { text: q.total ? "" : "a fee line in the total is unavailable" })));
    if (q.landed_total !== undefined) {
      body.append(h("tr", { class: "total", "data-line": "landed_total" }, h("th", { scope: "row", text: "Landed total" }),
        h("td", { class: q.landed_total ? "num" : "num unavailable", text: q.landed_total ? money(q.landed_total, q.currency) : "unavailable" }),
        h("td", {})));
    }
    if (others.length) {
      body.append(h("tr", { class: "group" }, h("th", { colspan: "3", scope: "rowgroup", text: "Not in the total" })));
      others.forEach((k) => body.append(feeRow(q, k)));
    }
    const table = h("table", { class: "fees" }, h("caption", { class: "sr-only", text: "Fee lines" }),
      h("thead", {}, h("tr", {}, h("th", { scope: "col", text: "Fee" }), h("th", { scope: "col", class: "num", text: "Amount" }),
        h("th", { scope: "col", text: "Explanation" }))), body);
    const parts = [dl, table];
    const notAssessed = Object.entries(q.not_assessed || {});
    if (notAssessed.length) {
      parts.push(h("div", { class: "warnings" }, h("h3", { text: "Not assessed" }),
        h("ul", {}, notAssessed.map(([k, v]) => h("li", { text: `${lineName(k)}: ${v}` })))));
    }
    if ((q.warnings || []).length) {
      parts.push(h("div", { class: "warnings", "data-role": "warnings" }, h("h3", { text: "Warnings" }),
        h("ul", {}, q.warnings.map((w) => h("li", { text: w })))));
    }
    parts.push(h("p", { class: "hint" }, `Table ${q.table_id}, sha256 `, h("span", { class: "hash", text: q.table_hash })));
    $("#quote-result").replaceChildren(...parts);
  }

  // ---- compare: the seller's costs, the channels, the chart ------------------------------------------------------------
  function storeProfile() {
    const code = state.store ? state.store.marketplace : "US";
    return state.profiles.find((p) => p.marketplace === code) || null;
  }
  function renderSellerForm() {
    const profile = storeProfile();
    const holder = $("#seller-fields");
    const key = profile ? profile.id : "none";
    if (holder.dataset.profile === key) return;
    const params = new URLSearchParams(location.search);
    holder.dataset.profile = key;
    state.sellerSet = new Set();
    if (!profile) {
      $("#seller-more-fields").replaceChildren();
      holder.replaceChildren(h("p", { class: "hint", text: `No cost profile is bundled for ${state.store.marketplace}: ` +
        "comparisons use the US profile's costs and the service says so." }));
      return;
    }
    state.sellerDefaults = profile.values;
    const keys = [...SELLER_ORDER.filter((k) => k in profile.values), ...Object.keys(profile.values).filter((k) => !SELLER_ORDER.includes(k)), "target_margin"];
    const loc = effectiveLocale();
    const fields = keys.map((k) => {
      const id = `seller-${k}`;
      const given = params.get(k);
      const def = profile.values[k];
      const shown = given !== null ? given : def === null || def === undefined ? "" : String(def);
      let input;
      if (SELLER_CHOICES[k]) {
        input = h("select", { id, name: k, "aria-describedby": `${id}-badge ${id}-error` },
          SELLER_CHOICES[k].map((v) => h("option", { value: v, text: v === "true" ? "yes" : v === "false" ? "no" : v })));
        input.value = shown;
      } else {
        const text = SELLER_PERCENT.includes(k) ? String(shown).replace("%", "") : shown;
        input = h("input", { id, name: k, type: "text", inputmode: "decimal", autocomplete: "off",
          "aria-describedby": `${id}-badge ${id}-error` });
        input.value = localNumber(text, loc);
      }
      if (given !== null) state.sellerSet.add(k);
      const badge = h("span", { class: "badge", id: `${id}-badge` });
      const field = h("div", { class: "field", "data-seller": k },
        h("label", { for: id }, `${SELLER_LABELS[k] || humanize(k)} `, badge), input, h("p", { class: "error", id: `${id}-error` }));
      input.addEventListener("input", () => { state.sellerSet.add(k); markDefault(k); schedule("compare", 400); });
      input.addEventListener("change", () => { state.sellerSet.add(k); markDefault(k); schedule("compare", 50); });
      return field;
    });
    holder.replaceChildren(...fields.filter((f) => SELLER_FIRST.includes(f.dataset.seller)));
    $("#seller-more-fields").replaceChildren(...fields.filter((f) => !SELLER_FIRST.includes(f.dataset.seller)));
    $("#seller-more").open = fields.some((f) => !SELLER_FIRST.includes(f.dataset.seller) && state.sellerSet.has(f.dataset.seller));
    keys.forEach(markDefault);
  }
  function markDefault(k) {
    const badge = document.getElementById(`seller-${k}-badge`);
    if (!badge) return;
    const isDefault = !state.sellerSet.has(k) && k !== "target_margin";
    badge.textContent = isDefault ? "default" : k === "target_margin" && !state.sellerSet.has(k) ? "" : "yours";
    badge.classList.toggle("set", !isDefault);
    badge.hidden = !badge.textContent;
  }
  /* The seller's values the user set (the rest are the profile's, which the service applies itself). */
  function readSeller() {
    const body = {};
    const errors = {};
    const loc = effectiveLocale();
    for (const k of state.sellerSet) {
      const el = document.getElementById(`seller-${k}`);
      if (!el) continue;
      if (el.tagName === "SELECT") {
        body[k] = k === "vat_registered" ? el.value === "true" : el.value;
        continue;
      }
      const n = parseNumber(el.value, loc);
      if (n.error) errors[k] = n.error;
      else if (!n.empty) body[k] = SELLER_PERCENT.includes(k) ? `${n.value}%` : n.value;
    }
    return { body, errors };
  }
  async function runCompare() {
    const [seq, signal] = begin("compare");
    const { body: item, errors, missing } = readItem();
    const seller = readSeller();
    writeURL();
    const sellerForm = $("#seller");
    if (clientErrors(errors, itemForm()) | clientErrors(seller.errors, sellerForm)) {
      return setStatus("compare", "Correct the fields marked.", true);
    }
    if (missing.length) return setStatus("compare", missingText(missing));
    if (!(await loadStore())) return setStatus("compare", "The store or date has no fee table.", true);
    if (!current("compare", seq)) return;
    const body = { ...item, ...seller.body };
    const path = "/v1/compare?curve=240";
    setStatus("compare", "Comparing…");
    const started = performance.now();
    const res = await api(path, { method: "POST", body, signal });
    if (res.aborted || !current("compare", seq)) return;
    renderApi("compare", "/v1/compare", body);
    if (!res.ok) {
      showProblem(res.data, [itemForm(), sellerForm], $("#seller-form-error"));
      $("#compare-result").replaceChildren(h("p", { class: "unavailable", text: res.data.detail || "not compared" }));
      $("#compare-notes").replaceChildren();
      $("#chart").hidden = true;
      return setStatus("compare", "Not compared: see the message.", true);
    }
    clearErrors(itemForm());
    clearErrors(sellerForm);
    renderCompare(res.data);
    setStatus("compare", "");
    $("#compare-timing").textContent = `Compared in ${Math.round(performance.now() - started)} ms.`;
  }
  function rangesText(ranges, cur) {
    return ranges.map(([a, b]) => (a === b ? money(a, cur) : `${money(a, cur)} to ${money(b, cur)}`)).join(", ");
  }
  function answerText(answer, exact, cur, what) {
    if (!answer) return "n/a";
    if (answer.note) return answer.at_least ? `at least ${money(answer.at_least, cur)} (${answer.note})` : `unknown (${answer.note})`;
    let out;
    if (exact) out = money(exact, cur);
    else if (answer.at_least) {
      out = `at least ${money(answer.at_least, cur)} (unknown ${rangesText(answer.unknown_ranges, cur)}` +
        `${answer.first_known ? `; ${money(answer.first_known, cur)} holds` : ""})`;
    } else out = `none up to ${money(answer.ceiling, cur)}`;
    if (answer.short_ranges.length) out += `; ${what} ${rangesText(answer.short_ranges, cur)}`;
    return out;
  }
  function renderCompare(c) {
    const cur = c.currency;
    const parts = [];
    if (c.best) {
      const by = c.wins_by !== null ? `, by ${money(c.wins_by, cur)} per unit (${money(c.wins_by_month, cur)} per month)` : "";
      parts.push(h("p", { class: "best-line", "data-role": "best" }, `Best: ${CHANNEL_NAMES[c.best] || c.best}${by}.`));
    } else {
      parts.push(h("p", { class: "best-line unavailable", "data-role": "best", text: "No channel can be costed: see each channel's reason." }));
    }
    const grid = h("div", { class: "channels" });
    for (const [name, r] of Object.entries(c.channels)) {
      const dl = h("dl", { class: "summary" });
      const item = (label, value, role) => dl.append(h("div", { "data-role": role }, h("dt", { text: label }), h("dd", { text: value })));
      if (r.available) {
        item("Profit per unit", money(r.profit, cur), "profit");
        item("Margin", percent(r.margin), "margin");
        item("ROI", r.roi === null ? "n/a (nothing invested)" : percent(r.roi), "roi");
        item("Profit per month", money(r.monthly_profit, cur), "monthly");
      } else {
        dl.append(h("div", { "data-role": "reason" }, h("dt", { text: "Unavailable" }), h("dd", { class: "unavailable", text: r.reason })));
        if (r.profit_at_most !== null) item("Profit at most", money(r.profit_at_most, cur), "bound");
      }
      item("Break-even price", answerText(r.break_even_prices, r.break_even, cur, "loses money"), "break-even");
      if (r.target_prices) item(`Price for a ${percent(r.target_prices.margin)} margin`, answerText(r.target_prices, r.target_price, cur, "below target"), "target");
      const lines = h("table", {}, h("caption", { class: "sr-only", text: `${CHANNEL_NAMES[name] || name}: each line` }),
        h("tbody", {}, h("tr", {}, h("th", { scope: "row", text: "Revenue" }), h("td", { class: "num", text: money(r.revenue.revenue, cur) }),
          h("td", {}, h("details", {}, h("summary", { text: "How" }), h("p", { text: `sales ${money(r.revenue.sales, cur)} less VAT ${money(r.revenue.vat, cur)} paid over` })))),
        Object.entries(r.lines).map(([k, v]) => h("tr", { "data-line": k }, h("th", { scope: "row", text: lineName(k) }),
          h("td", { class: "num", text: money(v, cur) }),
          h("td", {}, r.sources[k] ? h("details", {}, h("summary", { text: "Source" }), h("p", { text: r.sources[k] })) : "")))));
      const notes = (r.notes || []).length ? h("ul", { class: "hint" }, r.notes.map((n) => h("li", { text: n }))) : "";
      grid.append(h("section", { class: `channel${c.best === name ? " best" : ""}`, "data-channel": name, style: `--c: var(--${name}, #555)`,
        "aria-label": CHANNEL_NAMES[name] || name }, h("h3", { text: CHANNEL_NAMES[name] || name }), dl,
        h("details", {}, h("summary", { text: "Every line and its source" }), lines), notes));
    }
    parts.push(grid);
    const notes = [...(c.changes || []), ...(c.notes || [])];
    $("#compare-notes").replaceChildren(notes.length ? h("div", { class: "warnings" }, h("h3", { text: "Notes" }),
      h("ul", {}, notes.map((n) => h("li", { text: n })))) : "");
    $("#compare-result").replaceChildren(...parts);
    renderChart(c);
  }
  function niceTicks(lo, hi, count) {
    const span = hi - lo || 1;
    const raw = span / count;
    const mag = 10 ** Math.floor(Math.log10(raw));
    const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((m) => span / m <= count) || 10 * mag;
    const ticks = [];
    for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step) ticks.push(Number(v.toFixed(6)));
    return ticks;
  }
  function renderChart(c) {
    const figure = $("#chart");
    if (!c.curve) { figure.hidden = true; return; }
    const cur = c.currency;
    const W = 760, H = 380, L = 70, R = 16, T = 14, B = 46;
    const xs = c.curve.prices.map(Number);
    const x0 = xs[0], x1 = xs[xs.length - 1];
    let y0 = 0, y1 = 0;
    for (const ch of Object.values(c.curve.channels)) for (const v of ch.profit) if (v !== null) { y0 = Math.min(y0, Number(v)); y1 = Math.max(y1, Number(v)); }
    const pad = (y1 - y0) * 0.06 || 1;
    y0 -= pad; y1 += pad;
    const X = (v) => L + ((v - x0) / (x1 - x0 || 1)) * (W - L - R);
    const Y = (v) => T + ((y1 - v) / (y1 - y0 || 1)) * (H - T - B);
    const fmt = (v) => new Intl.NumberFormat(localeTag(effectiveLocale()), { maximumFractionDigits: 2 }).format(v);
    const svg = s("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-labelledby": "chart-title chart-desc", id: "profit-chart" });
    const descs = [];
    const defs = s("defs");
    svg.append(s("title", { id: "chart-title" }, document.createTextNode(`Unit profit against price (${cur})`)), s("desc", { id: "chart-desc" }), defs);
    const grid = s("g", { class: "grid" });
    for (const t of niceTicks(x0, x1, 8)) {
      grid.append(s("line", { x1: X(t), x2: X(t), y1: T, y2: H - B, stroke: "#e3e6ea" }),
        s("text", { x: X(t), y: H - B + 16, "text-anchor": "middle", "font-size": 11, fill: "#4d5560" }, document.createTextNode(fmt(t))));
    }
    for (const t of niceTicks(y0, y1, 6)) {
      grid.append(s("line", { x1: L, x2: W - R, y1: Y(t), y2: Y(t), stroke: "#e3e6ea" }),
        s("text", { x: L - 6, y: Y(t) + 4, "text-anchor": "end", "font-size": 11, fill: "#4d5560" }, document.createTextNode(fmt(t))));
    }
    grid.append(s("text", { x: (L + W - R) / 2, y: H - 8, "text-anchor": "middle", "font-size": 12, fill: "#1b1f24" }, document.createTextNode(`price (${cur})`)),
      s("text", { x: 14, y: (T + H - B) / 2, "text-anchor": "middle", "font-size": 12, fill: "#1b1f24", transform: `rotate(-90 14 ${(T + H - B) / 2})` },
        document.createTextNode(`profit per unit (${cur})`)));
    svg.append(grid);
    const colours = { fba: "#0072b2", mfn: "#c44d00", web_shop: "#007a5a" };
    const dashes = { fba: null, mfn: "7 4", web_shop: "2 3" };
    const shade = s("g", { class: "windows" });
    const lines = s("g", { class: "lines" });
    const marks = s("g", { class: "marks" });
    const legend = [];
    for (const [name, r] of Object.entries(c.channels)) {
      const colour = colours[name] || "#555";
      const label = CHANNEL_NAMES[name] || name;
      const ch = c.curve.channels[name];
      const be = r.break_even_prices;
      const clip = (a) => Math.min(Math.max(a, x0), x1);
      if (be) {
        defs.append(s("pattern", { id: `hatch-${name}`, width: 6, height: 6, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" },
          s("line", { x1: 0, y1: 0, x2: 0, y2: 6, stroke: colour, "stroke-width": 2 })));
        for (const [a, b] of be.short_ranges) {
          const lo = clip(Number(a)), hi = clip(Number(b) + 0.01);
          if (hi <= lo) continue;
          shade.append(s("rect", { class: "loss-window", "data-channel": name, "data-from": a, "data-to": b, x: X(lo), y: T, width: Math.max(X(hi) - X(lo), 1.5), height: H - T - B, fill: colour, "fill-opacity": 0.16 },
            s("title", {}, document.createTextNode(`${label} loses money from ${money(a, cur)} to ${money(b, cur)}`))));
          descs.push(`${label} loses money from ${a} to ${b}.`);
        }
        for (const [a, b] of be.unknown_ranges) {
          const lo = clip(Number(a)), hi = clip(Number(b) + 0.01);
          if (hi <= lo) continue;
          shade.append(s("rect", { class: "unknown-range", "data-channel": name, x: X(lo), y: T, width: Math.max(X(hi) - X(lo), 1.5), height: H - T - B, fill: `url(#hatch-${name})`, "fill-opacity": 0.5 },
            s("title", {}, document.createTextNode(`${label}: profit unknown from ${money(a, cur)} to ${money(b, cur)} (a fee NOT FOUND)`))));
          descs.push(`${label}: profit unknown from ${a} to ${b}.`);
        }
      }
      if (ch.unavailable) {
        legend.push(h("li", { "data-channel": name }, h("span", { class: "swatch", style: `background:${colour}` }), `${label}: not drawn (${ch.unavailable})`));
        continue;
      }
      let d = "";
      let open = false;
      ch.profit.forEach((v, i) => {
        if (v === null) { open = false; return; }
        d += `${open ? "L" : "M"}${X(xs[i]).toFixed(1)} ${Y(Number(v)).toFixed(1)}`;
        open = true;
      });
      if (!d) {  // no price of the chart has a known profit: say so rather than draw nothing silently
        legend.push(h("li", { "data-channel": name }, h("span", { class: "swatch", style: `background:${colour}` }),
          `${label}: profit unknown at every price shown${ch.gaps.length ? ` (${ch.gaps[0][2]})` : ""}`));
        continue;
      }
      lines.append(s("path", { class: "profit-line", "data-channel": name, d, fill: "none", stroke: colour, "stroke-width": 2, "stroke-dasharray": dashes[name] }));
      const point = be && (be.exact || be.first_known);
      if (point && Number(point) >= x0 && Number(point) <= x1) {
        const px = X(Number(point));
        const text = be.exact ? `${label} breaks even at ${money(be.exact, cur)}` : `${label} breaks even at ${money(be.at_least, cur)} or more (${money(be.first_known, cur)} holds)`;
        marks.append(s("g", { class: "break-even", "data-channel": name, "data-price": point },
          s("line", { x1: px, x2: px, y1: T, y2: H - B, stroke: colour, "stroke-dasharray": "3 3", "stroke-width": 1.2 }),
          s("circle", { cx: px, cy: Y(0), r: 5, fill: "#fff", stroke: colour, "stroke-width": 2.5 }),
          s("title", {}, document.createTextNode(text))));
        descs.push(`${text}.`);
      }
      const tp = r.target_prices;
      const tpoint = tp && (tp.exact || tp.first_known);
      if (tpoint && Number(tpoint) >= x0 && Number(tpoint) <= x1) {
        marks.append(s("g", { class: "target-price", "data-channel": name, "data-price": tpoint },
          s("line", { x1: X(Number(tpoint)), x2: X(Number(tpoint)), y1: T, y2: H - B, stroke: colour, "stroke-dasharray": "8 3 2 3", "stroke-width": 1.2 }),
          s("title", {}, document.createTextNode(`${label}: ${percent(tp.margin)} margin at ${money(tpoint, cur)}`))));
      }
      legend.push(h("li", { "data-channel": name }, h("span", { class: "swatch", style: `background:${colour}` }),
        `${label}${point ? `: break-even ${be.exact ? money(be.exact, cur) : `at least ${money(be.at_least, cur)}`}` : ""}` +
        `${be && be.short_ranges.length ? `, loses money ${rangesText(be.short_ranges, cur)} (shaded)` : ""}`));
    }
    const zero = s("line", { x1: L, x2: W - R, y1: Y(0), y2: Y(0), stroke: "#1b1f24", "stroke-width": 1, class: "zero" });
    const px = X(Number(c.price));
    const priceLine = s("g", { class: "current-price" }, s("line", { x1: px, x2: px, y1: T, y2: H - B, stroke: "#1b1f24", "stroke-dasharray": "5 4" }),
      s("title", {}, document.createTextNode(`current price ${money(c.price, cur)}`)));
    svg.append(shade, zero, lines, priceLine, marks);
    svg.querySelector("desc").textContent = descs.join(" ") || "No channel breaks even in the range shown.";
    legend.push(h("li", {}, h("span", { class: "swatch", style: "background:#1b1f24" }), `current price ${money(c.price, cur)} (dashed)`));
    $("#chart-svg").replaceChildren(svg);
    $("#chart-legend").replaceChildren(...legend);
    $("#chart-caption").textContent = `Unit profit against price, per channel (${cur}); circles mark break-even prices, shaded bands the prices that lose money.`;
    figure.hidden = false;
  }

  // ---- compare dates -----------------------------------------------------------------------------------------------
  function localToday() {
    const d = new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
  }
  function shiftYear(iso, years) {
    const [y, m, d] = iso.split("-").map(Number);
    const day = Math.min(d, new Date(Date.UTC(y + years, m, 0)).getUTCDate());
    return `${y + years}-${String(m).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
  }
  async function runDates() {
    const [seq, signal] = begin("dates");
    const { body, errors, missing } = readItem();
    writeURL();
    if (clientErrors(errors, itemForm())) return stale("dates", "Correct the fields marked in the form.");
    if (missing.length) return setStatus("dates", missingText(missing));
    const today = localToday();
    if (!$("#date_a").value) $("#date_a").value = shiftYear(body.on || today, -1);
    if (!$("#date_b").value) $("#date_b").value = body.on || today;
    const { marketplace, on, ...item } = body;
    const request = { marketplace, items: [{ id: "a", ...item, on: $("#date_a").value }, { id: "b", ...item, on: $("#date_b").value }] };
    const path = `/v1/quotes?explain=true&locale=${effectiveLocale()}`;
    const res = await api(path, { method: "POST", body: request, signal });
    if (res.aborted || !current("dates", seq)) return;
    renderApi("dates", path, request);
    const panel = $("#view-dates");
    clearErrors(panel);
    if (!res.ok) {
      showProblem(res.data, [itemForm()], $("#form-error"));
      return stale("dates", `Not quoted: ${res.data.detail}.`);
    }
    const a = res.data.results.a, b = res.data.results.b;
    for (const [id, r] of [["date_a", a], ["date_b", b]]) {
      if (r.error) {
        const dateErrors = (r.error.errors || []).filter((e) => ["on", "date"].includes(e.field));
        dateErrors.forEach((e) => showFieldError($(`#${id}`), e.message));
        if (!dateErrors.length) showProblem(r.error, [itemForm()], $("#form-error"));
      }
    }
    if (a.error || b.error) {
      $("#dates-result").replaceChildren();
      return setStatus("dates", "One of the dates could not be quoted: see the message at the field.", true);
    }
    renderDates(a.quote, b.quote);
    $("#dates-result").classList.remove("stale");
    setStatus("dates", "");
  }
  function renderDates(qa, qb) {
    const keys = lineKeys(qa);
    for (const k of lineKeys(qb)) if (!keys.includes(k)) keys.push(k);
    const cell = (q, k) => {
      const a = feeAmount(q, k);
      return a.unavailable !== undefined ? h("td", { class: "num unavailable", title: a.unavailable, text: "unavailable" })
        : h("td", { class: "num", text: a.display || money(a.amount, q.currency) });
    };
    const change = (va, vb, cur) => {
      if (!va || !vb || cur[0] !== cur[1]) return h("td", { class: "num", text: "—" });
      const places = Math.max(placesOf(va), placesOf(vb));
      const diff = toMinor(vb, places) - toMinor(va, places);
      const text = diff === 0n ? "no change" : `${diff > 0n ? "+" : "−"}${money(fromMinor(diff < 0n ? -diff : diff, places), cur[1])}`;
      return h("td", { class: `num ${diff > 0n ? "change-up" : diff < 0n ? "change-down" : ""}`, text });
    };
    const row = (k) => {
      const a = feeAmount(qa, k), b = feeAmount(qb, k);
      const how = [(qa.explanation || {})[k], (qb.explanation || {})[k]];
      return h("tr", { "data-line": k }, h("th", { scope: "row" }, lineName(k),
        how[0] || how[1] ? h("details", {}, h("summary", { text: "How" }), h("p", { text: `${qa.date}: ${how[0] || a.unavailable}` }), h("p", { text: `${qb.date}: ${how[1] || b.unavailable}` })) : ""),
        cell(qa, k), cell(qb, k), change(a.amount, b.amount, [qa.currency, qb.currency]));
    };
    const totalLines = qb.total_lines || qa.total_lines || keys;
    const inTotal = keys.filter((k) => totalLines.includes(k));
    const others = keys.filter((k) => !totalLines.includes(k));
    const rows = inTotal.map(row);
    const total = (q) => (q.total ? h("td", { class: "num", text: q.total.display || money(q.total.amount, q.currency) }) : h("td", { class: "num unavailable", text: "unavailable" }));
    rows.push(h("tr", { class: "total", "data-line": "total" }, h("th", { scope: "row", text: "Total" }), total(qa), total(qb),
      change(qa.total && qa.total.amount, qb.total && qb.total.amount, [qa.currency, qb.currency])));
    if (others.length) {
      rows.push(h("tr", { class: "group" }, h("th", { colspan: "4", scope: "rowgroup", text: "Not in the total" })), ...others.map(row));
    }
    rows.unshift(h("tr", { "data-line": "size_tier" }, h("th", { scope: "row", text: "Size tier" }), h("td", { class: "num", text: humanize(qa.size_tier) }),
      h("td", { class: "num", text: humanize(qb.size_tier) }), h("td", { class: "num", text: qa.size_tier === qb.size_tier ? "same" : "changed" })));
    const head = h("thead", {}, h("tr", {}, h("th", { scope: "col", text: "Fee" }),
      h("th", { scope: "col", class: "num" }, qa.date, h("br"), h("span", { class: "hint", text: qa.table_id })),
      h("th", { scope: "col", class: "num" }, qb.date, h("br"), h("span", { class: "hint", text: qb.table_id })),
      h("th", { scope: "col", class: "num", text: "Change" })));
    const warn = [...new Set([...qa.warnings.map((w) => `${qa.date}: ${w}`), ...qb.warnings.map((w) => `${qb.date}: ${w}`)])];
    $("#dates-result").replaceChildren(h("table", { class: "fees" }, h("caption", { class: "sr-only", text: "Fee lines on the two dates" }), head, h("tbody", {}, rows)),
      warn.length ? h("div", { class: "warnings" }, h("h3", { text: "Warnings" }), h("ul", {}, warn.map((w) => h("li", { text: w })))) : "");
  }

  // ---- cost a file -------------------------------------------------------------------------------------------------
  let downloads = [];
  function uploadFile(file) {
    const form = $("#file-form");
    clearErrors(form);
    if (!file) {
      showFieldError($("#file"), "choose a file first");
      return;
    }
    const data = new FormData();
    data.append("file", file, file.name);
    if (form.marketplace.value) data.append("marketplace", form.marketplace.value);
    if (form.on.value) data.append("on", form.on.value);
    if (form.locale.value) data.append("locale", form.locale.value);
    const progress = $("#file-progress");
    progress.value = 0;
    progress.setAttribute("value", "0");
    $("#file-progress-label").textContent = "Upload";
    setStatus("file", `Sending ${file.name}…`);
    $("#file-result").replaceChildren();
    const send = () => {
      const xhr = new XMLHttpRequest();
      const sent = state.key;
      xhr.open("POST", "/v1/batch");
      xhr.responseType = "blob";
      for (const [k, v] of Object.entries(authHeaders())) xhr.setRequestHeader(k, v);
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable) progress.value = Math.round((100 * e.loaded) / e.total);
      };
      xhr.upload.onload = () => {
        progress.removeAttribute("value");  // indeterminate while the service costs the rows
        $("#file-progress-label").textContent = "Costing";
        setStatus("file", `Costing ${file.name}…`);
      };
      xhr.onerror = () => setStatus("file", "The service did not answer (is feecalc serve running?).", true);
      xhr.onload = async () => {
        progress.value = 100;
        $("#file-progress-label").textContent = "Done";
        if (xhr.status === 401) {
          if (state.key !== sent || (await newKey())) send();
          else setStatus("file", "A valid API key is required.", true);
          return;
        }
        if (xhr.status !== 200) {
          let problem = { detail: `the service answered HTTP ${xhr.status}` };
          try {
            problem = JSON.parse(await xhr.response.text());
          } catch (e) { /* keep the plain message */ }
          showProblem(problem, [form], null);
          if (!(problem.errors || []).length) showFieldError($("#file"), problem.detail);
          return setStatus("file", `Not costed: ${problem.detail}`, true);
        }
        renderFile(file, xhr);
      };
      xhr.send(data);
    };
    send();
  }
  function renderFile(file, xhr) {
    downloads.forEach((u) => URL.revokeObjectURL(u));
    const disposition = xhr.getResponseHeader("Content-Disposition") || "";
    const name = (disposition.match(/filename="([^"]+)"/) || [])[1] || `${file.name}.costed`;
    let summary = null;
    try {
      summary = JSON.parse(xhr.getResponseHeader("X-Feecalc-Summary") || "null");
    } catch (e) { /* no summary */ }
    const rows = summary ? summary.rows : Number(xhr.getResponseHeader("X-Feecalc-Rows"));
    const bad = summary ? summary.error_rows : Number(xhr.getResponseHeader("X-Feecalc-Error-Rows"));
    const fileUrl = URL.createObjectURL(xhr.response);
    const summaryBlob = new Blob([JSON.stringify({ file: file.name, ...summary }, null, 2)], { type: "application/json" });
    const summaryUrl = URL.createObjectURL(summaryBlob);
    downloads = [fileUrl, summaryUrl];
    const parts = [h("p", { "data-role": "file-counts", text: `${rows} rows: ${rows - bad} costed, ${bad} with errors.` }),
      h("div", { class: "downloads" },
        h("a", { id: "download-file", href: fileUrl, download: name, text: `Download ${name}` }),
        h("a", { id: "download-summary", href: summaryUrl, download: `${name.replace(/\.[^.]+$/, "")}.summary.json`, text: "Download the summary (JSON)" }))];
    if (summary && summary.errors.length) {
      parts.push(h("h3", { text: bad > summary.errors.length ? `The first ${summary.errors.length} rows with errors` : "Rows with errors" }),
        h("table", { class: "bad-rows" }, h("thead", {}, h("tr", {}, h("th", { scope: "col", text: "Row" }), h("th", { scope: "col", text: "Line" }), h("th", { scope: "col", text: "Message" }))),
          h("tbody", {}, summary.errors.map((e) => h("tr", {}, h("td", { text: String(e.row) }), h("td", { text: String(e.line) }), h("td", { text: e.message }))))));
    }
    if (summary) {
      for (const [cur, totals] of Object.entries(summary.totals)) {
        parts.push(h("h3", { text: `Totals in ${cur}` }), h("table", { class: "totals" }, h("tbody", {}, Object.entries(totals).map(([k, v]) =>
          h("tr", {}, h("th", { scope: "row", text: k === "total" ? "Total" : lineName(k) }), h("td", { class: "num", text: money(v, cur) }))))));
      }
      const tables = Object.entries(summary.fee_tables);
      if (tables.length) parts.push(h("p", { class: "hint" }, "Fee tables: ", tables.map(([id, sha]) => h("span", { class: "hash", text: `${id} (${sha.slice(0, 12)}) ` }))));
    }
    $("#file-result").replaceChildren(...parts);
    setStatus("file", `Costed ${file.name}.`);
  }

  // ---- views, scheduling, start ------------------------------------------------------------------------------------
  const RUN = { quote: runQuote, compare: runCompare, dates: runDates, file: () => {} };
  function schedule(what, delay) {
    clearTimeout(state.timers[what]);
    state.timers[what] = setTimeout(() => RUN[what](), delay);
  }
  function setView(view, focus = false) {
    state.view = VIEWS.includes(view) ? view : "quote";
    for (const v of VIEWS) {
      const tab = $(`#tab-${v}`);
      const on = v === state.view;
      tab.setAttribute("aria-selected", String(on));
      tab.tabIndex = on ? 0 : -1;
      $(`#view-${v}`).hidden = !on;
      if (on && focus) tab.focus();
    }
    itemForm().hidden = state.view === "file";
    $("#layout").classList.toggle("wide", state.view === "file");
    writeURL();
    if (state.view !== "file") schedule(state.view, 0);
  }
  function onItemInput(e) {
    state.lastInput = performance.now();
    if (e.target.name === "dimension_unit" || e.target.name === "weight_unit") {
      const f = itemForm();
      localStorage.setItem("feecalc.units", JSON.stringify({ dimension_unit: f.dimension_unit.value, weight_unit: f.weight_unit.value }));
    }
    if (e.target.name === "marketplace" || e.target.name === "on") {
      state.storeKey = "";
      clearTimeout(state.timers.store);  // the store's options and units now, whether or not the item is complete
      state.timers.store = setTimeout(() => loadStore(), 30);
    }
    writeURL();
    const delay = state.view === "quote" ? 10 : state.view === "compare" ? 350 : 150;
    schedule(state.view === "file" ? "quote" : state.view, delay);
  }
  async function start() {
    const params = new URLSearchParams(location.search);
    state.locale = params.get("locale") || "";
    $("#locale").value = state.locale;
    const [markets, profiles] = await Promise.all([api("/v1/marketplaces"), api("/v1/cost-profiles")]);
    if (!markets.ok) {
      $("#form-error").textContent = `The service could not be asked for its stores: ${markets.data.detail}`;
      return;
    }
    state.markets = markets.data.filter((m) => m.has_tables);
    state.profiles = profiles.ok ? profiles.data : [];
    const labels = Object.fromEntries(state.markets.map((m) => [m.code, `${m.code}${m.domain ? ` (${m.domain})` : ""}`]));
    const codes = state.markets.map((m) => m.code);
    fillSelect(itemForm().marketplace, codes, labels, false);
    fillSelect($("#file_marketplace"), codes, labels, false);
    const fileLocale = $("#file_locale");
    for (const o of $$("#locale option")) if (o.value) fileLocale.append(h("option", { value: o.value, text: o.textContent }));
    const code = (params.get("marketplace") || "US").toUpperCase();
    itemForm().marketplace.value = codes.includes(code) ? code : "US";
    $("#file_marketplace").value = itemForm().marketplace.value;
    // the date of the fees: the link's, else today (shown, so a shared link pins the schedule it was quoted on)
    itemForm().on.value = params.get("on") || localToday();
    for (const k of ["date_a", "date_b"]) if (params.has(k)) $(`#${k}`).value = params.get(k);
    await loadStore(params);
    fillItem(params);
    itemForm().addEventListener("input", onItemInput);
    itemForm().addEventListener("change", (e) => { if (e.target.tagName === "SELECT" || e.target.type === "checkbox" || e.target.type === "date") onItemInput(e); });
    itemForm().addEventListener("submit", (e) => { e.preventDefault(); schedule(state.view, 0); });
    $("#seller").addEventListener("submit", (e) => { e.preventDefault(); schedule("compare", 0); });
    for (const id of ["date_a", "date_b"]) $(`#${id}`).addEventListener("change", () => schedule("dates", 0));
    $("#locale").addEventListener("change", () => {
      const before = effectiveLocale();
      state.locale = $("#locale").value;
      reformatNumbers(before, effectiveLocale());
      if (state.view !== "file") schedule(state.view, 0);
      writeURL();
    });
    $("#key-cancel").addEventListener("click", () => $("#key-dialog").close(""));
    for (const v of VIEWS) $(`#tab-${v}`).addEventListener("click", () => setView(v));
    $(".tabs").addEventListener("keydown", (e) => {
      const i = VIEWS.indexOf(state.view);
      const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: VIEWS.length - 1 }[e.key];
      if (next === undefined) return;
      e.preventDefault();
      setView(VIEWS[(next + VIEWS.length) % VIEWS.length], true);
    });
    const drop = $("#drop");
    drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
    drop.addEventListener("dragleave", () => drop.classList.remove("over"));
    drop.addEventListener("drop", (e) => {
      e.preventDefault();
      drop.classList.remove("over");
      if (e.dataTransfer.files.length) {
        $("#file").files = e.dataTransfer.files;
        uploadFile(e.dataTransfer.files[0]);
      }
    });
    $("#file").addEventListener("change", () => { if ($("#file").files[0]) uploadFile($("#file").files[0]); });
    $("#file-form").addEventListener("submit", (e) => { e.preventDefault(); uploadFile($("#file").files[0]); });
    document.body.dataset.ready = "true";
    setView(params.get("view") || "quote");
  }
  window.addEventListener("DOMContentLoaded", () => {
    start().catch(() => {
      $("#form-error").textContent = "The page could not start: reload it, or use the API at /docs.";
    });
  });
})();
