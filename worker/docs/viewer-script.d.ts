// The API reference viewer's browser bundle, imported as text (a wrangler "Text" module rule).
declare module "*/standalone.js" {
  const source: string;
  export default source;
}
