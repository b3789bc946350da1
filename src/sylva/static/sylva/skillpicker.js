// The skills picker: enhances every <select data-skill-picker> (people/widgets.py).
//
// Each select becomes a WAI-ARIA combobox (the APG "combobox with listbox popup" pattern):
// a text input, under the field's own <label>, filters a listbox grouped by domain,
// accent-blind and case-blind, on the skill's name in French or English and on its code.
// For several skills the chosen ones show as chips, each with a remove button. The select
// stays in the page, out of sight and out of the accessibility tree, and is kept in sync
// both ways: the form posts exactly what it posted without this script, and a change made
// to the select (a form reset, a test) shows in the picker. Plain script, no dependency;
// works in content htmx swaps in (a MutationObserver sees new selects).
(() => {
  "use strict";

  const fold = (text) =>
    (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  const english = () => (document.documentElement.lang || "fr").slice(0, 2) === "en";
  const fill = (template, value) => (template || "").replace(/%[sd]/, String(value));
  let counter = 0;

  const make = (tag, attrs = {}, text = "") => {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
    if (text) node.textContent = text;
    return node;
  };

  class Picker {
    constructor(select) {
      this.select = select;
      this.multiple = select.multiple;
      this.max = Number(select.dataset.max) || 0;
      this.text = select.dataset;
      this.id = select.id || `skillpicker-${++counter}`;
      this.items = [];
      this.active = null;
      this.build();
      this.render();
    }

    // ---- building -------------------------------------------------------------------
    build() {
      const select = this.select;
      this.root = make("div", { class: "skillpicker" });
      if (this.multiple) {
        this.chips = make("ul", { class: "skillpicker-chips", "aria-label": this.text.textChosen });
        this.root.append(this.chips);
      }
      this.input = make("input", {
        type: "text",
        id: `${this.id}-search`,
        class: "skillpicker-input",
        role: "combobox",
        "aria-autocomplete": "list",
        "aria-expanded": "false",
        "aria-controls": `${this.id}-listbox`,
        autocomplete: "off",
        autocapitalize: "off",
        spellcheck: "false",
        placeholder: this.text.textPlaceholder || "",
      });
      const described = [select.getAttribute("aria-describedby"), `${this.id}-status`];
      this.input.setAttribute("aria-describedby", described.filter(Boolean).join(" "));
      if (select.getAttribute("aria-invalid")) this.input.setAttribute("aria-invalid", "true");
      if (select.disabled) this.input.disabled = true;
      this.list = make("ul", { id: `${this.id}-listbox`, class: "skillpicker-list", role: "listbox" });
      this.list.hidden = true;
      if (this.multiple) this.list.setAttribute("aria-multiselectable", "true");
      this.status = make("p", {
        id: `${this.id}-status`,
        class: "skillpicker-status",
        role: "status",
        "aria-live": "polite",
      });
      this.fillList();
      const box = make("div", { class: "skillpicker-box" });
      box.append(this.input, this.list);
      this.root.append(box, this.status);
      this.relabel();
      select.classList.add("skillpicker-native");
      select.setAttribute("aria-hidden", "true");
      select.tabIndex = -1;
      select.after(this.root);
      this.listen();
    }

    relabel() {
      const select = this.select;
      const labels = select.id
        ? [...document.querySelectorAll(`label[for="${CSS.escape(select.id)}"]`)]
        : [];
      for (const label of labels) {
        if (!label.id) label.id = `${this.id}-label`;
        label.htmlFor = this.input.id;
      }
      if (labels.length) this.list.setAttribute("aria-labelledby", labels[0].id);
    }

    option(source) {
      const nameFr = source.dataset.nameFr || source.textContent.trim();
      const nameEn = source.dataset.nameEn || nameFr;
      const name = english() ? nameEn || nameFr : nameFr || nameEn;
      const other = english() ? nameFr : nameEn;
      const node = make("li", {
        id: `${this.id}-option-${this.items.length}`,
        class: "skillpicker-option",
        role: "option",
        "aria-selected": "false",
      });
      const label = make("span", { class: "skillpicker-name" }, name);
      const aside = make("span", { class: "skillpicker-other", lang: english() ? "fr" : "en" });
      node.append(label, aside);
      const item = {
        source,
        node,
        name,
        other: fold(other) === fold(name) ? "" : other,
        aside,
        empty: !source.value,
        haystack: fold(`${nameFr} ${nameEn} ${source.dataset.code || ""}`),
        own: fold(`${name} ${source.dataset.code || ""}`),
      };
      this.items.push(item);
      return item;
    }

    fillList() {
      for (const child of this.select.children) {
        if (child.tagName === "OPTGROUP") {
          const id = `${this.id}-group-${this.list.children.length}`;
          const group = make("li", { role: "presentation", class: "skillpicker-groupitem" });
          const heading = make("div", { id, class: "skillpicker-group", role: "presentation" }, child.label);
          const inner = make("ul", { role: "group", "aria-labelledby": id });
          for (const source of child.children) inner.append(this.option(source).node);
          group.append(heading, inner);
          this.list.append(group);
        } else if (child.tagName === "OPTION" && (!this.multiple || child.value)) {
          const wrapper = make("li", { role: "presentation", class: "skillpicker-groupitem" });
          const inner = make("ul", { role: "group", "aria-label": child.textContent.trim() });
          const item = this.option(child);
          item.name = child.textContent.trim();
          item.node.firstChild.textContent = item.name;
          inner.append(item.node);
          wrapper.append(inner);
          this.list.append(wrapper);
        }
      }
    }

    // ---- state ----------------------------------------------------------------------
    chosen() {
      return this.items.filter((item) => item.source.selected && !item.empty);
    }

    full() {
      return this.multiple && this.max > 0 && this.chosen().length >= this.max;
    }

    render() {
      const full = this.full();
      for (const item of this.items) {
        const on = item.source.selected && !(this.multiple && item.empty);
        item.node.setAttribute("aria-selected", on ? "true" : "false");
        const blocked = full && !on;
        if (blocked) item.node.setAttribute("aria-disabled", "true");
        else item.node.removeAttribute("aria-disabled");
      }
      if (this.multiple) this.renderChips();
      else if (document.activeElement !== this.input || this.list.hidden) {
        const current = this.items.find((item) => item.source.selected && !item.empty);
        this.input.value = current ? current.name : "";
      }
    }

    renderChips() {
      this.chips.replaceChildren();
      for (const item of this.chosen()) {
        const chip = make("li", { class: "skillpicker-chip" });
        const button = make("button", {
          type: "button",
          class: "skillpicker-remove",
          "aria-label": fill(this.text.textRemove, item.name),
        }, "×");
        button.addEventListener("click", () => this.removeChip(item, chip));
        chip.append(make("span", {}, item.name), button);
        this.chips.append(chip);
      }
      this.chips.hidden = !this.chips.children.length;
    }

    removeChip(item, chip) {
      const at = [...this.chips.children].indexOf(chip);
      item.source.selected = false;
      this.changed();
      this.say(fill(this.text.textRemoved, item.name));
      const left = this.chips.children;
      const target = left.length ? left[Math.min(at, left.length - 1)].querySelector("button") : null;
      (target || this.input).focus();
    }

    changed() {
      this.select.dispatchEvent(new Event("input", { bubbles: true }));
      this.select.dispatchEvent(new Event("change", { bubbles: true }));
      this.input.setCustomValidity("");
      this.render();
    }

    choose(item) {
      if (!item || item.node.getAttribute("aria-disabled") === "true") {
        if (item && this.full()) this.say(fill(this.text.textMax, this.max));
        return;
      }
      if (this.multiple) {
        item.source.selected = !item.source.selected;
        this.changed();
        this.say(fill(item.source.selected ? this.text.textAdded : this.text.textRemoved, item.name));
        this.input.value = "";
        this.filter();
        if (this.full()) this.close();
      } else {
        this.select.value = item.source.value;
        this.close();
        this.input.value = item.empty ? "" : item.name;
        this.changed();
      }
    }

    // ---- the list -------------------------------------------------------------------
    visible() {
      return this.items.filter((item) => !item.node.hidden);
    }

    filter() {
      const words = fold(this.input.value).split(/\s+/).filter(Boolean);
      let shown = 0;
      for (const item of this.items) {
        const match = item.empty ? !words.length : words.every((w) => item.haystack.includes(w));
        item.node.hidden = !match;
        // say the other language's name when that is what matched
        const viaOther = match && words.length && !words.every((w) => item.own.includes(w));
        item.aside.textContent = viaOther && item.other ? item.other : "";
        if (match && !item.empty) shown += 1;
      }
      for (const group of this.list.children) {
        group.hidden = !group.querySelector("[role=option]:not([hidden])");
      }
      if (this.active && this.active.node.hidden) this.activate(null);
      this.announce(shown);
    }

    announce(shown) {
      clearTimeout(this.timer);
      const message = shown === 0
        ? this.text.textNone
        : shown === 1 ? this.text.textOne : fill(this.text.textMany, shown);
      this.timer = setTimeout(() => this.say(message), 350);
    }

    say(message) {
      this.status.textContent = message || "";
    }

    open() {
      if (!this.list.hidden) return;
      this.list.hidden = false;
      this.input.setAttribute("aria-expanded", "true");
      this.root.classList.add("open");
      this.filter();
    }

    close() {
      this.list.hidden = true;
      this.input.setAttribute("aria-expanded", "false");
      this.root.classList.remove("open");
      this.activate(null);
    }

    activate(item) {
      if (this.active) this.active.node.classList.remove("active");
      this.active = item;
      if (item) {
        item.node.classList.add("active");
        this.input.setAttribute("aria-activedescendant", item.node.id);
        item.node.scrollIntoView({ block: "nearest" });
      } else {
        this.input.removeAttribute("aria-activedescendant");
      }
    }

    move(step) {
      const shown = this.visible();
      if (!shown.length) return;
      const at = this.active ? shown.indexOf(this.active) : -1;
      let next;
      if (step === "first") next = 0;
      else if (step === "last") next = shown.length - 1;
      else if (at < 0) next = step > 0 ? 0 : shown.length - 1;
      else next = Math.min(Math.max(at + step, 0), shown.length - 1);
      this.activate(shown[next]);
    }

    // ---- events ---------------------------------------------------------------------
    listen() {
      this.input.addEventListener("input", () => {
        this.open();
        this.filter();
        const shown = this.visible().filter((item) => !item.empty);
        this.activate(this.input.value.trim() && shown.length ? shown[0] : null);
      });
      this.input.addEventListener("click", () => (this.list.hidden ? this.open() : null));
      this.input.addEventListener("keydown", (event) => this.key(event));
      this.list.addEventListener("mousedown", (event) => event.preventDefault());
      this.list.addEventListener("click", (event) => {
        const node = event.target.closest("[role=option]");
        const item = node && this.items.find((i) => i.node === node);
        if (item) {
          this.choose(item);
          this.input.focus();
        }
      });
      this.root.addEventListener("focusout", (event) => {
        if (event.relatedTarget && this.root.contains(event.relatedTarget)) return;
        this.leave();
      });
      this.select.addEventListener("change", () => this.render());
      this.select.addEventListener("invalid", (event) => {
        event.preventDefault();
        this.input.setCustomValidity(this.select.validationMessage);
        this.input.reportValidity();
        this.input.focus();
      });
      this.select.form?.addEventListener("reset", () => setTimeout(() => this.render()));
    }

    leave() {
      this.close();
      if (this.multiple) {
        this.input.value = "";
        return;
      }
      if (!this.input.value.trim() && !this.select.required && this.select.value) {
        const empty = this.items.find((item) => item.empty);
        if (empty) this.choose(empty);
        return;
      }
      this.render();
    }

    key(event) {
      const open = !this.list.hidden;
      switch (event.key) {
        case "ArrowDown":
          event.preventDefault();
          this.open();
          if (!event.altKey) this.move(1);
          break;
        case "ArrowUp":
          event.preventDefault();
          this.open();
          this.move(-1);
          break;
        case "Home":
        case "End":
          if (!open) return;
          event.preventDefault();
          this.move(event.key === "Home" ? "first" : "last");
          break;
        case "Enter":
          if (!open || !this.active) return;
          event.preventDefault();
          this.choose(this.active);
          break;
        case "Escape":
          if (open) {
            event.preventDefault();
            this.close();
            if (!this.multiple) this.render();
          } else if (this.input.value) {
            event.preventDefault();
            this.input.value = "";
          }
          break;
        case "Tab":
          this.close();
          break;
        default:
      }
    }
  }

  const enhance = (root) => {
    const selects = root.matches?.("select[data-skill-picker]")
      ? [root]
      : root.querySelectorAll?.("select[data-skill-picker]") || [];
    for (const select of selects) {
      if (select.dataset.skillPickerReady) continue;
      select.dataset.skillPickerReady = "true";
      new Picker(select);
    }
  };

  enhance(document);
  new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node.nodeType === Node.ELEMENT_NODE) enhance(node);
      }
    }
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
