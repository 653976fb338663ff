// An e-reader's walk through Pressroom's OPDS catalogue, parsed by Readium's r2-opds-js (the parser behind
// Thorium Reader): the root, every page of "By title" by its `next` links, a search through the OpenSearch
// description, and an EPUB downloaded from an acquisition link. Prints what it saw as JSON.
// Usage: node opds_client.js BASE_URL SEARCH_WORDS EPUB_PATH  (run with NODE_PATH=tools/node_modules)
"use strict";

const fs = require("fs");
require("reflect-metadata");
const { DOMParser } = require("@xmldom/xmldom");
const { XML } = require("r2-utils-js/dist/es8-es2017/src/_utils/xml-js-mapper");
const { OPDS } = require("r2-opds-js/dist/es8-es2017/src/opds/opds1/opds");

const NAVIGATION = "application/atom+xml;profile=opds-catalog;kind=navigation";
const ACQUISITION = "application/atom+xml;profile=opds-catalog;kind=acquisition";
const ACQUIRE = "http://opds-spec.org/acquisition";

async function get(url) {
    const response = await fetch(url);
    if (!response.ok) {
        throw new Error(`${url}: ${response.status} ${await response.text()}`);
    }
    return response;
}

async function feed(url) {
    const response = await get(url);
    const type = response.headers.get("content-type");
    if (type !== NAVIGATION && type !== ACQUISITION) {
        throw new Error(`${url}: not an OPDS feed but ${type}`);
    }
    const document = new DOMParser().parseFromString(await response.text(), "application/xml");
    return XML.deserialize(document, OPDS);
}

function linkOf(links, rel) {
    return (links || []).find((link) => link.HasRel(rel));
}

async function main() {
    const [base, words, epubPath] = process.argv.slice(2);
    const root = await feed(new URL("/opds/", base));
    const report = { root: root.Title, sections: root.Entries.map((entry) => entry.Title), pages: 0, titles: [] };

    const byTitle = root.Entries.find((entry) => entry.Title === "By title");
    let url = new URL(byTitle.Links[0].Href, base);
    let first = null;
    while (url) {
        const page = await feed(url);
        report.pages += 1;
        report.total = page.OpensearchTotalResults;
        for (const entry of page.Entries) {
            report.titles.push(entry.Title);
            first = first || entry;
        }
        const next = linkOf(page.Links, "next");
        url = next ? new URL(next.Href, url) : null;
    }
    report.first = {
        title: first.Title, authors: (first.Authors || []).map((author) => author.Name), language: first.DcLanguage,
        issued: first.DcIssued, summary: first.Summary, subjects: (first.Categories || []).map((c) => c.Term),
        acquisitions: first.Links.filter((link) => link.HasRel(ACQUIRE)).map((link) => link.Type),
    };

    const description = await get(new URL(linkOf(root.Links, "search").Href, base));
    const searchDocument = new DOMParser().parseFromString(await description.text(), "application/xml");
    const template = searchDocument.getElementsByTagName("Url")[0].getAttribute("template");
    const found = await feed(new URL(template.replace("{searchTerms}", encodeURIComponent(words)), base));
    report.search = found.Entries.map((entry) => entry.Title);

    const epub = found.Entries[0].Links.find((link) => link.HasRel(ACQUIRE) && link.Type === "application/epub+zip");
    const download = await get(new URL(epub.Href, base));
    report.download = { type: download.headers.get("content-type"), bytes: 0 };
    const bytes = Buffer.from(await download.arrayBuffer());
    fs.writeFileSync(epubPath, bytes);
    report.download.bytes = bytes.length;
    process.stdout.write(JSON.stringify(report));
}

main().catch((error) => {
    process.stderr.write(`${error.stack || error}\n`);
    process.exit(1);
});
