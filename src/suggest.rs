//! "Did you mean" for misspelt names (tools, checks, configuration keys, resources): the
//! closest known name by edit distance, when it is close enough to be a typo.

/// `; did you mean `x`?` for the closest of `known` to `name`, or nothing.
pub(crate) fn did_you_mean<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    closest(name, known)
        .map(|k| format!("; did you mean `{k}`?"))
        .unwrap_or_default()
}

/// ` (did you mean `x`?)` for the closest of `known` to `name`, or nothing: for messages that
/// go on after the name.
pub(crate) fn did_you_mean_inline<'a>(
    name: &str,
    known: impl IntoIterator<Item = &'a str>,
) -> String {
    closest(name, known)
        .map(|k| format!(" (did you mean `{k}`?)"))
        .unwrap_or_default()
}

/// The closest of `known` to `name`: within 2 edits, or a quarter of its length when longer.
pub(crate) fn closest<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    known
        .into_iter()
        .map(|k| (edit_distance(name, k), k))
        .filter(|(d, k)| *d <= 2.max(k.chars().count() / 4))
        .min()
        .map(|(_, k)| k)
}

/// Levenshtein distance, in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = if ca == *cb {
                previous
            } else {
                1 + previous.min(row[j]).min(row[j + 1])
            };
            previous = current;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn a_typo_gets_the_closest_name_and_a_stranger_nothing() {
        let known = ["add", "divide", "get_order"];
        assert_eq!(did_you_mean("ad", known), "; did you mean `add`?");
        assert_eq!(
            did_you_mean("get_ordr", known),
            "; did you mean `get_order`?"
        );
        assert_eq!(did_you_mean("weather", known), "");
        assert_eq!(
            super::did_you_mean_inline("dvide", known),
            " (did you mean `divide`?)"
        );
    }
}
