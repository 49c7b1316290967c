//! `tests/data/shared/` is a copy of the project's shared data folder (`../shared/data/`): when
//! that folder is there, the copy must equal it, file for file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn files(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path.strip_prefix(root).unwrap().to_owned();
                out.insert(relative, std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

#[test]
fn the_copy_equals_the_shared_data_folder() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = manifest.join("../shared/data");
    if !shared.is_dir() {
        // A clone elsewhere has only the copy; nothing to compare with.
        return;
    }
    let copy = manifest.join("tests/data/shared");
    for part in [
        "json-schema-test-suite/tests/draft2020-12",
        "json-schema-test-suite/remotes",
        "tool-corpus",
    ] {
        let (theirs, ours) = (files(&shared.join(part)), files(&copy.join(part)));
        assert_eq!(
            theirs.keys().collect::<Vec<_>>(),
            ours.keys().collect::<Vec<_>>(),
            "{part}: the file lists differ"
        );
        for (path, bytes) in &theirs {
            assert!(
                ours[path] == *bytes,
                "{part}/{}: the copy differs",
                path.display()
            );
        }
    }
}
