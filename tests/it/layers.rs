//! Layers only point down: a module of `src/` imports only modules of a lower layer (or its
//! own). The list below is the layering of `ARCHITECTURE.md` ("Layers"), lowest first; a
//! module missing from it fails the test, so a new module has to be placed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Top-level modules of the library, lowest layer first. Modules on one line are one layer
/// and may import each other only in the order given (the earlier ones never import the later
/// ones), so there is no cycle.
const LAYERS: &[&[&str]] = &[
    // Reading a file a person named, within its limits (rule files and config use it).
    &["input"],
    // Pure core: no I/O, no clock.
    &["clock", "dates", "rules", "domain"],
    // Configuration.
    &["config"],
    // The store and the adapters at the edge.
    &["metrics", "db", "oauth", "imap", "sender"],
    // What the tasks share.
    &["health", "context"],
    // What an operator does, below both front ends (the CLI and the HTTP API).
    &["ops"],
    // The tasks (the HTTP listener among them).
    &["ingest", "scheduler", "http", "webhooks"],
    // The process.
    &["daemon"],
    // Front ends.
    &["cli"],
];

fn rank(module: &str) -> Option<usize> {
    LAYERS
        .iter()
        .flat_map(|layer| layer.iter())
        .position(|m| *m == module)
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The modules `text` names through `crate::` (in `use crate::x`, `use crate::{x, y::z}` over
/// several lines, and `crate::x::…` paths), comments left out.
fn imported(text: &str) -> Vec<String> {
    let code: String = text
        .lines()
        .map(|line| line.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let ident = |s: &str| -> String {
        s.trim()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let mut out = Vec::new();
    let mut rest = code.as_str();
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        let Some(group) = rest.strip_prefix('{') else {
            out.push(ident(rest));
            continue;
        };
        // The items of the group, split at its top-level commas.
        let (mut depth, mut start) = (0usize, 0usize);
        for (i, c) in group.char_indices() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => {
                    out.push(ident(&group[start..i]));
                    break;
                }
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    out.push(ident(&group[start..i]));
                    start = i + 1;
                }
                _ => {}
            }
        }
    }
    out.retain(|m| !m.is_empty());
    out
}

#[test]
fn modules_only_import_lower_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut wrong: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for file in &files {
        let rel = file.strip_prefix(&src).expect("under src");
        let first = rel.components().next().expect("component");
        let module = first
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        if module == "lib" || module == "main" {
            continue;
        }
        let Some(own) = rank(&module) else {
            wrong
                .entry(rel.display().to_string())
                .or_default()
                .push(format!("module `{module}` is in no layer of tests/it/layers.rs"));
            continue;
        };
        let text = std::fs::read_to_string(file).expect("read");
        for target in imported(&text) {
            match rank(&target) {
                Some(r) if r <= own => {}
                Some(_) => wrong
                    .entry(rel.display().to_string())
                    .or_default()
                    .push(format!("imports `{target}`, which is above `{module}`")),
                None => wrong
                    .entry(rel.display().to_string())
                    .or_default()
                    .push(format!("imports `crate::{target}`, which is in no layer")),
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports that point up (see ARCHITECTURE.md, Layers):\n{}",
        wrong
            .iter()
            .map(|(f, w)| format!("  {f}: {}", w.join("; ")))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn the_check_sees_an_upward_import() {
    assert_eq!(
        imported("use crate::daemon::Context; // crate::cli"),
        vec!["daemon"]
    );
    assert_eq!(imported("use crate::{db::Store, ingest};"), vec!["db", "ingest"]);
    assert_eq!(
        imported("use crate::{\n    db::{Store, StoreError},\n    cli,\n};"),
        vec!["db", "cli"]
    );
    assert_eq!(
        imported("    let x = crate::scheduler::run(ctx);"),
        vec!["scheduler"]
    );
}
