// The rich text editor of the admin (django-prose-editor: Tiptap on ProseMirror) on every field whose textarea
// carries data-django-prose-editor-richtext (core.fields.RichTextAdminWidget). The package's own presets build
// the editor with Tiptap's injectCSS, which adds a <style> element that the strict CSP refuses: this module
// builds it the same way with injectCSS off; the rules it would inject are in css/richtext-editor.css.
import * as prose from "django-prose-editor/editor";

const ATTRIBUTE = "data-django-prose-editor-richtext";
const FRENCH = window.richTextEditorFrench || {}; // js/richtext-editor-fr.js

// The toolbar's names (title, aria-label, the block type picker's options) in French, also when the editor
// swaps a button (the block type button follows the cursor).
function translateToolbar(root) {
  for (const element of root.querySelectorAll(".prose-menubar [title], .prose-menubar [aria-label]")) {
    for (const attribute of ["title", "aria-label"]) {
      const french = FRENCH[element.getAttribute(attribute)];
      if (french) element.setAttribute(attribute, french);
    }
  }
  for (const option of root.querySelectorAll(".prose-menubar__option > *")) {
    const french = FRENCH[option.textContent];
    if (french) option.textContent = french;
  }
}

function extensionsFrom(config) {
  const extensions = [];
  for (const [name, options] of Object.entries(config.extensions || {})) {
    const extension = prose[name];
    if (!extension) continue;
    extensions.push(typeof options === "object" ? extension.configure(options) : extension);
  }
  return extensions;
}

// The editable area is a div: it takes the field's label and help text, like the textarea it replaces.
function accessibleAttributes(textarea) {
  const attributes = { role: "textbox", "aria-multiline": "true" };
  const label = textarea.id && document.querySelector(`label[for="${CSS.escape(textarea.id)}"]`);
  if (label) {
    label.id ||= `${textarea.id}_label`;
    attributes["aria-labelledby"] = label.id;
  }
  const help = textarea.getAttribute("aria-describedby");
  if (help) attributes["aria-describedby"] = help;
  return attributes;
}

function createEditor(textarea) {
  if (textarea.closest(".prose-editor")) return null;
  const config = JSON.parse(textarea.getAttribute(ATTRIBUTE) || "{}");
  const disabled = textarea.hasAttribute("disabled");
  const label = textarea.id && document.querySelector(`label[for="${CSS.escape(textarea.id)}"]`);
  const wrapper = prose.crel("div", { className: `prose-editor ${disabled ? "disabled" : ""}` });
  textarea.before(wrapper);
  wrapper.append(textarea);
  const editor = new prose.Editor({
    element: wrapper,
    editable: !disabled,
    injectCSS: false,
    extensions: extensionsFrom(config),
    content: textarea.value,
    editorProps: { attributes: accessibleAttributes(textarea) },
    onUpdate({ editor: current }) {
      const html = current.getHTML();
      textarea.value = /^<(\w+)(\s[^>]*)?><\/\1>$/i.test(html) ? "" : html;
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    },
    onDestroy() {
      wrapper.before(textarea);
      wrapper.remove();
    },
  });
  const name = label ? label.textContent.replace(/\s*:\s*$/, "").trim() : "";
  const describe = () => {
    translateToolbar(wrapper);
    // One toolbar per field, named after it (two editors on a page have the same buttons).
    const toolbar = wrapper.querySelector(".prose-menubar:not([role])");
    if (toolbar) {
      toolbar.setAttribute("role", "toolbar");
      toolbar.setAttribute("aria-label", name ? `Mise en forme : ${name}` : "Mise en forme");
    }
  };
  describe();
  new MutationObserver(describe).observe(wrapper, {
    subtree: true,
    childList: true,
    attributeFilter: ["title", "aria-label"],
  });
  // A click on the label goes to the editable area (the textarea it names is hidden).
  if (label) label.addEventListener("click", () => editor.commands.focus());
  return editor;
}

prose.initializeEditors(createEditor, `[${ATTRIBUTE}]`);
