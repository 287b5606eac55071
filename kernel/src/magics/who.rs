//! `%who` and `%whos`: the variables cells defined (IPython's texts).

/// `%who`: the names, separated by tabs.
pub(super) fn who(variables: &[(String, String)]) -> String {
    if variables.is_empty() {
        return "Interactive namespace is empty.\n".into();
    }
    let names: Vec<&str> = variables.iter().map(|(name, _)| name.as_str()).collect();
    format!("{}\n", names.join("\t"))
}

/// `%whos`: a table of names and types.
pub(super) fn whos(variables: &[(String, String)]) -> String {
    if variables.is_empty() {
        return "Interactive namespace is empty.\n".into();
    }
    let name_width = variables
        .iter()
        .map(|(n, _)| n.chars().count())
        .max()
        .unwrap_or(0)
        .max("Variable".len())
        + 3;
    let type_width = variables
        .iter()
        .map(|(_, t)| t.chars().count())
        .max()
        .unwrap_or(0)
        .max("Type".len());
    let mut text = format!(
        "{:name_width$}{}\n{}\n",
        "Variable",
        "Type",
        "-".repeat(name_width + type_width)
    );
    for (name, ty) in variables {
        text.push_str(&format!("{name:name_width$}{ty}\n"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listings() {
        let vars = vec![
            ("mu".to_string(), "Array".to_string()),
            ("n".to_string(), "usize".to_string()),
        ];
        assert_eq!(who(&vars), "mu\tn\n");
        assert_eq!(
            whos(&vars),
            "Variable   Type\n----------------\nmu         Array\nn          usize\n"
        );
        assert_eq!(who(&[]), "Interactive namespace is empty.\n");
    }
}
