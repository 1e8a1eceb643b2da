// EJS templates handed to epub-gen-memory in place of its defaults, which hard-code xml:lang="en",
// a random identifier, "now" as the modification date, and a navigation document of chapters only.
//
// Besides epub-gen-memory's own variables (title, lang, description, author, publisher, cover,
// images, content, css) they read the fields of `TemplateData`, passed along as extra options.

/** What the templates read beyond epub-gen-memory's own options. */
export interface TemplateData {
  identifier: string;
  /** dcterms:modified, `YYYY-MM-DDThh:mm:ssZ`. */
  modified: string;
  /** dc:date: the publication date, only when the manuscript gives it. */
  published?: string;
  subjects: string[];
  sections: { id: string; title: string }[];
  /** The article file's name inside OEBPS, for the navigation links. */
  articleFile: string;
  accessibilitySummary: string;
  /** Heading of the table of contents. */
  tocTitle: string;
  /** The printed edition's pages, in order: label and the id of its page-break marker in the article. */
  pages: { label: string; id: string }[];
  /** Heading of the page-list. */
  pageListTitle: string;
}

/**
 * The package document. `schema:` is a reserved prefix in EPUB 3, so it is used without being
 * declared (declaring it draws an EPUBCheck warning). The navigation document is left out of the
 * spine: a reader opens on the article itself and reaches the contents through its own menu.
 */
export const CONTENT_OPF = `<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="book-id" xml:lang="<%= lang %>">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="book-id"><%= identifier %></dc:identifier>
    <dc:title><%= title %></dc:title>
    <dc:language><%= lang %></dc:language>
    <dc:description><%= description %></dc:description>
<% author.forEach(function (name) { -%>
    <dc:creator><%= name %></dc:creator>
<% }) -%>
<% if (publisher) { -%>
    <dc:publisher><%= publisher %></dc:publisher>
<% } -%>
<% if (published) { -%>
    <dc:date><%= published %></dc:date>
<% } -%>
<% subjects.forEach(function (subject) { -%>
    <dc:subject><%= subject %></dc:subject>
<% }) -%>
    <meta property="dcterms:modified"><%= modified %></meta>
    <meta property="schema:accessMode">textual</meta>
    <meta property="schema:accessMode">visual</meta>
    <meta property="schema:accessModeSufficient">textual</meta>
    <meta property="schema:accessModeSufficient">textual,visual</meta>
    <meta property="schema:accessibilityFeature">alternativeText</meta>
    <meta property="schema:accessibilityFeature">displayTransformability</meta>
    <meta property="schema:accessibilityFeature">readingOrder</meta>
    <meta property="schema:accessibilityFeature">structuralNavigation</meta>
    <meta property="schema:accessibilityFeature">tableOfContents</meta>
    <meta property="schema:accessibilityHazard">none</meta>
    <meta property="schema:accessibilitySummary"><%= accessibilitySummary %></meta>
<% if (cover) { -%>
    <meta name="cover" content="cover-image"/>
<% } -%>
  </metadata>
  <manifest>
    <item id="nav" href="toc.xhtml" media-type="application/xhtml+xml" properties="nav"/>
    <item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>
    <item id="css" href="style.css" media-type="text/css"/>
<% if (cover) { -%>
    <item id="cover-image" href="cover.<%= cover.extension %>" media-type="<%= cover.mediaType %>" properties="cover-image"/>
<% } -%>
<% images.forEach(function (image, index) { -%>
    <item id="image-<%= index + 1 %>" href="images/<%= image.id %>.<%= image.extension %>" media-type="<%= image.mediaType %>"/>
<% }) -%>
<% content.forEach(function (chapter, index) { -%>
    <item id="text-<%= index + 1 %>" href="<%= chapter.filename %>" media-type="application/xhtml+xml"/>
<% }) -%>
  </manifest>
  <spine toc="ncx">
<% content.forEach(function (chapter, index) { -%>
    <itemref idref="text-<%= index + 1 %>"/>
<% }) -%>
  </spine>
</package>
`;

/**
 * The navigation document: the headline, then each section; the printed edition's pages (page-list); a
 * landmark for reading systems that jump to the text. (A landmark to the navigation document itself would have to point into the
 * spine, which it is not part of.)
 */
export const TOC_XHTML = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="<%= lang %>" xml:lang="<%= lang %>">
<head>
  <meta charset="UTF-8"/>
  <title><%= tocTitle %></title>
  <link rel="stylesheet" type="text/css" href="style.css"/>
</head>
<body>
  <nav epub:type="toc" id="toc" role="doc-toc">
    <h1 class="toc-title"><%= tocTitle %></h1>
    <ol>
      <li><a href="<%= articleFile %>"><%= title %></a></li>
<% sections.forEach(function (section) { -%>
      <li><a href="<%= articleFile %>#<%= section.id %>"><%= section.title %></a></li>
<% }) -%>
    </ol>
  </nav>
  <nav epub:type="page-list" id="page-list" hidden="hidden">
    <h2><%= pageListTitle %></h2>
    <ol>
<% pages.forEach(function (page) { -%>
      <li><a href="<%= articleFile %>#<%= page.id %>"><%= page.label %></a></li>
<% }) -%>
    </ol>
  </nav>
  <nav epub:type="landmarks" id="landmarks" hidden="hidden">
    <h2>导航</h2>
    <ol>
      <li><a epub:type="bodymatter" href="<%= articleFile %>">正文</a></li>
    </ol>
  </nav>
</body>
</html>
`;

/** The EPUB 2 table of contents, for older readers; mirrors the navigation document. */
export const TOC_NCX = `<?xml version="1.0" encoding="UTF-8"?>
<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1" xml:lang="<%= lang %>">
  <head>
    <meta name="dtb:uid" content="<%= identifier %>"/>
    <meta name="dtb:depth" content="1"/>
    <meta name="dtb:totalPageCount" content="<%= pages.length %>"/>
    <meta name="dtb:maxPageNumber" content="<%= pages.length %>"/>
  </head>
  <docTitle><text><%= title %></text></docTitle>
  <navMap>
    <navPoint id="nav-1" playOrder="1"><navLabel><text><%= title %></text></navLabel><content src="<%= articleFile %>"/></navPoint>
<% sections.forEach(function (section, index) { -%>
    <navPoint id="nav-<%= index + 2 %>" playOrder="<%= index + 2 %>"><navLabel><text><%= section.title %></text></navLabel><content src="<%= articleFile %>#<%= section.id %>"/></navPoint>
<% }) -%>
  </navMap>
  <pageList>
    <navLabel><text><%= pageListTitle %></text></navLabel>
<% pages.forEach(function (page, index) { -%>
    <pageTarget id="pt-<%= page.id %>" type="normal" value="<%= index + 1 %>" playOrder="<%= sections.length + 2 + index %>"><navLabel><text><%= page.label %></text></navLabel><content src="<%= articleFile %>#<%= page.id %>"/></pageTarget>
<% }) -%>
  </pageList>
</ncx>
`;

/** One content document; the article brings its own headline block, so no chapter title is prepended. */
export const CHAPTER_XHTML = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="<%= lang %>" xml:lang="<%= lang %>">
<head>
  <meta charset="UTF-8"/>
  <title><%= title %></title>
  <link rel="stylesheet" type="text/css" href="style.css"/>
</head>
<body epub:type="bodymatter">
<%- content %>
</body>
</html>
`;
