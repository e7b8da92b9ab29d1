//! Every `@tr` string in the kiosk's and the console's Slint sources has a
//! Russian text in `translations/ru/LC_MESSAGES/` (`ui.po`, `operator.po`),
//! under the component that shows it.
//!
//! Slint looks a string up by its `msgctxt`, the name of the component or
//! global the `@tr` sits in, so an entry under the wrong name stays
//! untranslated on screen. The English source strings need no catalogue.

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

type Key = (String, String);

fn slint_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("the Slint source folder is readable") {
        let path = entry.expect("a folder entry is readable").path();
        if path.is_dir() {
            slint_files(&path, found);
        } else if path.extension().is_some_and(|ext| ext == "slint") {
            found.push(path);
        }
    }
}

/// Reads the string literal at the start of `text`, which begins with `"`;
/// returns its value and the rest after the closing quote.
fn string_literal(text: &str) -> (String, &str) {
    let mut value = String::new();
    let mut chars = text.char_indices().skip(1);
    while let Some((index, character)) = chars.next() {
        match character {
            '"' => return (value, &text[index + 1..]),
            '\\' => {
                let (_, escaped) = chars.next().expect("an escape has a character after it");
                value.push(match escaped {
                    'n' => '\n',
                    other => other,
                });
            }
            other => value.push(other),
        }
    }
    panic!("unterminated string literal: {text}");
}

/// Collects (context, message) for each `@tr` in a Slint source.
fn tr_strings(source: &str, file: &Path) -> Vec<Key> {
    let mut keys = Vec::new();
    let mut context = None::<String>;
    for line in source.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        let declared = match words.as_slice() {
            ["export", "component" | "global", name, ..] | ["component" | "global", name, ..] => {
                Some(name.trim_end_matches('{').to_owned())
            }
            _ => None,
        };
        if declared.is_some() {
            context = declared;
        }

        let mut rest = line;
        while let Some(start) = rest.find("@tr(") {
            let after = rest[start + 4..].trim_start();
            assert!(
                after.starts_with('"'),
                "{}: @tr must start with a string literal: {line}",
                file.display()
            );
            let (message, tail) = string_literal(after);
            assert!(
                !tail.trim_start().starts_with("=>"),
                "{}: explicit @tr contexts are not used; the component name is the context: {line}",
                file.display()
            );
            let context = context
                .clone()
                .unwrap_or_else(|| panic!("{}: @tr outside any component: {line}", file.display()));
            keys.push((context, message));
            rest = tail;
        }
    }
    keys
}

/// Reads a .po file into (msgctxt, msgid) → msgstr.
fn po_entries(text: &str) -> HashMap<Key, String> {
    let mut entries = HashMap::new();
    let (mut context, mut id, mut translated) = (String::new(), String::new(), String::new());
    let mut current: Option<&str> = None;
    let mut flush = |context: &mut String, id: &mut String, translated: &mut String| {
        if !id.is_empty() {
            entries.insert(
                (std::mem::take(context), std::mem::take(id)),
                std::mem::take(translated),
            );
        }
        context.clear();
        id.clear();
        translated.clear();
    };
    for line in text.lines().map(str::trim) {
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        let (keyword, literal) = match line.split_once(' ') {
            Some((keyword, literal)) if !line.starts_with('"') => (Some(keyword), literal),
            _ => (None, line),
        };
        let (value, _) = string_literal(literal);
        match keyword {
            Some("msgctxt") => {
                flush(&mut context, &mut id, &mut translated);
                context = value;
                current = Some("msgctxt");
            }
            Some("msgid") => {
                if current != Some("msgctxt") {
                    flush(&mut context, &mut id, &mut translated);
                }
                id = value;
                current = Some("msgid");
            }
            Some("msgstr") => {
                translated = value;
                current = Some("msgstr");
            }
            Some(other) => panic!("unexpected .po keyword {other}"),
            None => match current {
                Some("msgctxt") => context.push_str(&value),
                Some("msgid") => id.push_str(&value),
                Some("msgstr") => translated.push_str(&value),
                _ => panic!("continuation line outside an entry: {line}"),
            },
        }
    }
    flush(&mut context, &mut id, &mut translated);
    entries
}

/// Checks that every `@tr` string under `sources` has Russian in `catalogue`
/// and that the catalogue holds no entry that no screen uses.
fn check_catalogue(sources: &str, catalogue: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    slint_files(&root.join(sources), &mut files);
    files.sort();

    let mut keys = BTreeSet::new();
    for file in &files {
        let source = fs::read_to_string(file).expect("a Slint source is readable");
        keys.extend(tr_strings(&source, file));
    }
    assert!(
        keys.len() > 50,
        "only {} @tr strings found in {sources}",
        keys.len()
    );

    let text = fs::read_to_string(root.join("translations/ru/LC_MESSAGES").join(catalogue))
        .expect("the Russian catalogue is readable");
    let russian = po_entries(&text);

    let missing: Vec<String> = keys
        .iter()
        .filter(|key| russian.get(*key).is_none_or(String::is_empty))
        .map(|(context, message)| format!("{context}: {message:?}"))
        .collect();
    assert!(
        missing.is_empty(),
        "{sources}: @tr strings without Russian:\n{}",
        missing.join("\n")
    );

    let stale: Vec<String> = russian
        .keys()
        .filter(|key| !keys.contains(*key))
        .map(|(context, message)| format!("{context}: {message:?}"))
        .collect();
    assert!(
        stale.is_empty(),
        "{catalogue}: Russian entries no screen uses:\n{}",
        stale.join("\n")
    );
}

#[test]
fn kiosk_strings_have_russian() {
    check_catalogue("kiosk", "ui.po");
}

#[test]
fn operator_strings_have_russian() {
    check_catalogue("operator", "operator.po");
}

#[test]
fn placeholders_match_in_russian() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for name in ["ui.po", "operator.po"] {
        let catalogue = fs::read_to_string(root.join("translations/ru/LC_MESSAGES").join(name))
            .expect("the Russian catalogue is readable");
        check_placeholders(&catalogue);
    }
}

fn check_placeholders(catalogue: &str) {
    for ((context, message), translated) in po_entries(catalogue) {
        assert_eq!(
            message.matches("{}").count(),
            translated.matches("{}").count(),
            "{context}: {message:?} and its Russian differ in {{}} placeholders"
        );
    }
}

#[test]
fn scanner_reads_context_and_escapes() {
    let source = "export component Page {\n  Text { text: @tr(\"Say \\\"hi\\\"\"); }\n}\nglobal Names {\n  f: @tr(\"A {}\", x) + @tr(\"B\");\n}\n";
    let keys = tr_strings(source, Path::new("test.slint"));
    assert_eq!(
        keys,
        [
            ("Page".to_owned(), "Say \"hi\"".to_owned()),
            ("Names".to_owned(), "A {}".to_owned()),
            ("Names".to_owned(), "B".to_owned()),
        ]
    );
}
