import { describe, expect, it } from 'bun:test';
import { decodeEntities } from './html-head.ts';
import { readPageMetadata } from './page-metadata.ts';

const PAGE = 'https://news.example/articles/42?ref=chat';
const page = (head: string, body = '') => `<!doctype html><html><head>${head}</head><body>${body}</body></html>`;

describe('readPageMetadata', () => {
  it('prefers OpenGraph, then Twitter card tags, then <title> and the meta description', () => {
    const all = page(`
      <title>Title tag</title>
      <meta name="description" content="Meta description">
      <meta name="twitter:title" content="Twitter title">
      <meta name="twitter:description" content="Twitter description">
      <meta property="og:title" content="OG title">
      <meta property="og:description" content="OG description">
      <meta property="og:site_name" content="News">`);
    expect(readPageMetadata(all, PAGE)).toEqual({
      url: PAGE,
      title: 'OG title',
      description: 'OG description',
      siteName: 'News',
      imageUrl: null,
    });
    const twitter = all.replace(/<meta property="og:[^>]*>/g, '');
    expect(readPageMetadata(twitter, PAGE)).toMatchObject({
      title: 'Twitter title',
      description: 'Twitter description',
    });
    const plain = twitter.replace(/<meta name="twitter:[^>]*>/g, '');
    expect(readPageMetadata(plain, PAGE)).toMatchObject({ title: 'Title tag', description: 'Meta description' });
    expect(readPageMetadata(plain, PAGE)?.siteName).toBeNull();
  });

  it('skips an empty preferred tag for the next one, and keeps the first of a repeated one', () => {
    const html = page(`<meta property="og:title" content="  "><title>Fallback</title>
      <meta property="og:description" content="First"><meta property="og:description" content="Second">`);
    expect(readPageMetadata(html, PAGE)).toMatchObject({ title: 'Fallback', description: 'First' });
  });

  it('decodes entities in attributes and in the title', () => {
    const html = page(`<title>Tom &amp; Jerry &lt;3 &#39;s&#x27; &quot;q&quot; &#128512; &eacute;x</title>
      <meta property="og:description" content="A &amp;amp; B &mdash; &#x1F600;&#0;">`);
    expect(readPageMetadata(html, PAGE)).toMatchObject({
      title: `Tom & Jerry <3 's' "q" 😀 &eacute;x`,
      description: 'A &amp; B — 😀\ufffd',
    });
    expect(decodeEntities('&#xD800;&#1114112;&bogus;&amp')).toBe('\ufffd\ufffd&bogus;&amp');
  });

  it('resolves a relative og:image against the page and keeps only http(s) images', () => {
    const image = (content: string, key = 'og:image') =>
      readPageMetadata(page(`<title>T</title><meta property="${key}" content="${content}">`), PAGE)?.imageUrl;
    expect(image('/img/cover.png')).toBe('https://news.example/img/cover.png');
    expect(image('cover.png')).toBe('https://news.example/articles/cover.png');
    expect(image('//cdn.example/a.jpg')).toBe('https://cdn.example/a.jpg');
    expect(image('http://cdn.example/a b.jpg', 'og:image:url')).toBe('http://cdn.example/a%20b.jpg');
    expect(image('https://cdn.example/t.jpg', 'twitter:image')).toBe('https://cdn.example/t.jpg');
    for (const bad of [
      'javascript:alert(1)',
      'data:image/png;base64,AAAA',
      'file:///etc/passwd',
      'https://u:p@x.example/',
    ]) {
      expect(image(bad)).toBeNull();
    }
    const both = page(
      `<title>T</title><meta name="twitter:image" content="/t.png"><meta property="og:image" content="/o.png">`,
    );
    expect(readPageMetadata(both, PAGE)?.imageUrl).toBe('https://news.example/o.png');
    const skipBad = page(
      `<title>T</title><meta property="og:image" content="javascript:x"><meta name="twitter:image" content="/t.png">`,
    );
    expect(readPageMetadata(skipBad, PAGE)?.imageUrl).toBe('https://news.example/t.png');
  });

  it('reads tags whatever their attribute order, quoting, case and spacing', () => {
    const variants = [
      `<meta content="Quoted" property="og:title">`,
      `<meta property='og:title' content='Quoted'>`,
      `<META PROPERTY="OG:TITLE" CONTENT="Quoted"/>`,
      `<meta property=og:title content=Quoted>`,
      `<meta\n  property = "og:title"\n  content = "Quoted" />`,
      `<meta name="og:title" content="Quoted">`,
      `<meta data-x="a > b" property="og:title" content="Quoted">`,
      `<meta property="og:title" property="ignored" content="Quoted">`,
    ];
    for (const tag of variants) expect([tag, readPageMetadata(page(tag), PAGE)?.title]).toEqual([tag, 'Quoted']);
    expect(readPageMetadata(page(`<meta property="og:title" content='He said "hi" > bye'>`), PAGE)?.title).toBe(
      'He said "hi" > bye',
    );
  });

  it('collapses whitespace and caps the lengths', () => {
    const html = page(`<title>
      Lots   of\tspace
    </title><meta property="og:description" content="${'d'.repeat(5000)}">
    <meta property="og:site_name" content="${'😀'.repeat(200)}">`);
    const preview = readPageMetadata(html, PAGE);
    expect(preview?.title).toBe('Lots of space');
    expect(preview?.description).toHaveLength(1000);
    expect(preview?.description?.endsWith('…')).toBe(true);
    expect(Array.from(preview?.siteName ?? '')).toHaveLength(100);
    expect(readPageMetadata(page(`<title>${'t '.repeat(400)}</title>`), PAGE)?.title.length).toBeLessThanOrEqual(300);
  });

  it('returns null for a page without a title', () => {
    expect(readPageMetadata(page('<meta property="og:description" content="No title">'), PAGE)).toBeNull();
    expect(readPageMetadata(page('<title>   </title>'), PAGE)).toBeNull();
    expect(readPageMetadata('', PAGE)).toBeNull();
  });

  it('reads only the head: nothing from the body, comments, scripts or styles', () => {
    const html = `<html><head>
      <!-- <meta property="og:title" content="Commented out"> -->
      <script>document.write('<meta property="og:title" content="Scripted">')</script>
      <style>/* <title>Styled</title> */</style>
      <title>Real</title>
      </head><body><meta property="og:description" content="From the body"></body></html>`;
    expect(readPageMetadata(html, PAGE)).toMatchObject({ title: 'Real', description: null });
    const headless = `<title>No head</title><body><meta property="og:title" content="Late"></body>`;
    expect(readPageMetadata(headless, PAGE)?.title).toBe('No head');
    const late = `<html><head>${' '.repeat(70_000)}<title>Too far</title></head></html>`;
    expect(readPageMetadata(late, PAGE)).toBeNull();
  });

  it('never throws on garbage, truncated or hostile input', () => {
    // Each of these would take minutes (a test timeout) if the tokenizer backtracked across the document.
    const inputs = [
      '<',
      '<<<<>>>>',
      '<meta',
      '<meta property="og:title" content="unterminated',
      '<title>never closed',
      '<!--',
      '<script>',
      `<meta ${'a='.repeat(20_000)}>`,
      '<'.repeat(100_000),
      '<script'.repeat(20_000),
      `<meta content="${'"'.repeat(50_000)}`,
      '&#99999999999;&#x110000;',
      '\u0000\ud800<title>\udfff</title>',
      `<title>${'&amp;'.repeat(100_000)}</title>`,
      'x'.repeat(2_000_000),
    ];
    for (const input of inputs) expect(() => readPageMetadata(input, 'not a url')).not.toThrow();
    expect(readPageMetadata('<title>never closed', PAGE)?.title).toBe('never closed');
    expect(
      readPageMetadata('<meta property="og:title" content="t"><meta property="og:image" content="/x">', 'nope'),
    ).toMatchObject({ title: 't', imageUrl: null });
  });
});
