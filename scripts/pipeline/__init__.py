"""The build around MkDocs: what `scripts/build`, `serve` and `dist` run, importable and typed.

`sitegen` holds the generators (pure functions over text and data, no MkDocs); `hooks.py` connects
them to MkDocs' events. This package runs everything else, in this order (`build.build`):

  1. The site model (sitegen.site): every page, data file and setting, read and checked.
  2. MkDocs, strictly, into a staging folder beside the target; its hooks read the same model.
  3. The finishing pass over the staging folder (`finish.STEPS`, in order): every page read once ->
       redirects -> theme css -> print furniture -> link-preview images -> PDFs (`pdfprint`) ->
       theme fixes, hardening (CSP, referrer policy, safe links) and whitespace; each page written
       once, then _headers, .htaccess and level-9 .gz copies made from it. What a page's text goes
       through is `finish.PAGE_EDITS`, pure functions applied in memory in their order.
  4. Checks on the finished pages (the text the finishing pass wrote), then the record of what
     pages say; then the staging folder replaces the target in one rename. Any failure leaves the
     target as it was.

Modules: `build` (the stages, the checks and the swap), `finish` (the finishing steps), `pdfprint`
(Chromium), `cache` (PDFs, previews and .gz copies kept by a hash of their inputs), `report` (what a build
tells its caller), `preview` (`scripts/serve`), `release` (`scripts/dist`), `paths`.

Nothing here changes the process's environment: settings are arguments.
"""
