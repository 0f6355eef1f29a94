// French words for the admin's rich text editor (django-prose-editor). Its dialogs ask window.gettext, whose
// catalogue (the admin's) has none of their words: this script, run before the editor's module, answers them.
// Its toolbar names are English constants: js/richtext-editor.js renames them from the same table.
window.richTextEditorFrench = {
  paragraph: "Paragraphe",
  Paragraph: "Paragraphe",
  "heading 2": "Intertitre",
  "heading 3": "Sous-intertitre",
  "Heading 2": "Intertitre",
  "Heading 3": "Sous-intertitre",
  "unordered list": "Liste à puces",
  "ordered list": "Liste numérotée",
  "List properties": "Propriétés de la liste",
  bold: "Gras",
  italic: "Italique",
  "insert link": "Insérer un lien",
  "remove link": "Retirer le lien",
  undo: "Annuler la dernière modification",
  redo: "Rétablir la modification",
  URL: "Adresse du lien (https://…, mailto:…, tel:…)",
  Title: "Titre du lien (facultatif)",
  "Edit Link": "Lien",
  Update: "Valider",
  Cancel: "Annuler",
  "Open in new window": "Ouvrir dans une nouvelle fenêtre",
  "Start at": "Commencer à",
  "List type": "Type de liste",
  "Decimal numbers": "Chiffres",
  "Lowercase letters": "Lettres minuscules",
  "Uppercase letters": "Lettres majuscules",
  "Lowercase Roman numerals": "Chiffres romains minuscules",
  "Uppercase Roman numerals": "Chiffres romains majuscules",
  Bullets: "Puces",
};
(() => {
  const french = window.richTextEditorFrench;
  const catalogue = window.gettext || ((text) => text);
  window.gettext = (text) => french[text] ?? catalogue(text);
})();
