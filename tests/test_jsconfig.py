"""Literal values read from JavaScript configs without Node: found by key, through a const, or named unreadable."""

from __future__ import annotations

from l10n.sites.jsconfig import Unreadable, find_value, text_of

CONFIG = """\
// i18n: {defaultLocale: 'fr'} in a comment is no setting
import {themes} from 'prism-react-renderer';
const title = "i18n: {defaultLocale: 'de'} in a string";
/** @type {import('@docusaurus/types').Config} */
const config = {
  title,
  url: 'https://example.org',
  i18n: {
    defaultLocale: 'en',
    locales: ['en', "es", `pt-BR`,],  // a trailing comma
    localeConfigs: {es: {htmlLang: 'es-ES'}},
  },
  future: {v4: true},
  presets: [['classic', ({docs: {path: 'guides', sidebarPath: require.resolve('./sidebars.js')}, blog: false})]],
  count: -1.5e2,
};
export default config;
"""


def test_literals_by_key_not_in_comments_or_strings():
    assert find_value(CONFIG, "i18n") == {"defaultLocale": "en", "locales": ["en", "es", "pt-BR"],
                                          "localeConfigs": {"es": {"htmlLang": "es-ES"}}}
    assert find_value(CONFIG, "future") == {"v4": True}
    assert find_value(CONFIG, "blog") is False
    assert find_value(CONFIG, "count") == -150.0
    assert find_value(CONFIG, "markdown") is None


def test_a_value_that_is_not_a_literal_is_unreadable_where_it_is():
    docs = find_value(CONFIG, "docs")
    assert docs["path"] == "guides"
    assert isinstance(docs["sidebarPath"], Unreadable) and docs["sidebarPath"].line == 14
    env = find_value("export default {\n  i18n: {defaultLocale: 'en', locales: process.env.LOCALES.split(',')},\n};",
                     "i18n")
    assert env["defaultLocale"] == "en"
    assert isinstance(env["locales"], Unreadable) and env["locales"].line == 2
    assert env["locales"].text.startswith("process.env.LOCALES")
    assert isinstance(find_value("const c = {i18n: makeI18n('en')};", "i18n"), Unreadable)
    assert isinstance(find_value("const c = {i18n: `${a}`};", "i18n"), Unreadable)


def test_a_name_reads_the_const_that_holds_the_literal():
    source = "const i18n = {defaultLocale: 'fr', locales: ['fr', 'de']};\nexport default {i18n: i18n, title: 'x'};"
    assert find_value(source, "i18n") == {"defaultLocale": "fr", "locales": ["fr", "de"]}
    shorthand = "const i18n = {defaultLocale: 'fr', locales: ['fr']};\nexport default {title: 'x', i18n};"
    assert find_value(shorthand, "i18n") == {"defaultLocale": "fr", "locales": ["fr"]}


def test_text_of_blanks_comments_and_strings_keeping_lines():
    code = text_of(CONFIG)
    assert len(code) == len(CONFIG) and code.count("\n") == CONFIG.count("\n")
    assert "defaultLocale: 'fr'" not in code and "'de'" not in code
    assert "defaultLocale:" in code
