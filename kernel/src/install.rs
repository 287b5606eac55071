//! `tessera-kernel install`: writes the `tessera` kernelspec (kernel.json and logos) where
//! Jupyter looks for kernels.

use std::path::{Path, PathBuf};

use serde_json::json;

/// The kernelspec's directory name, which is what `--kernel tessera` refers to.
pub const KERNEL_NAME: &str = "tessera";

/// Where to install, as `jupyter kernelspec install` says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// The user's Jupyter data directory (`$JUPYTER_DATA_DIR`, else `~/.local/share/jupyter`).
    User,
    /// The active Python environment (`sys.prefix` of `python3`, e.g. a venv).
    SysPrefix,
    /// `<prefix>/share/jupyter`.
    Prefix(PathBuf),
}

/// Errors while installing.
#[derive(Debug, thiserror::Error)]
pub enum InstallError {
    #[error("cannot find {0}")]
    NotFound(String),
    #[error("cannot write the kernelspec to {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The kernelspec's `kernel.json` for a kernel binary at `executable`; `python`, the Python of
/// the environment installed into, is the one cells use for dask (`TESSERA_PYTHON`).
pub fn kernel_json(executable: &Path, engine: &Path, python: Option<&Path>) -> serde_json::Value {
    let mut env = json!({ "TESSERA_ENGINE_PATH": engine.display().to_string() });
    if let Some(python) = python {
        env["TESSERA_PYTHON"] = json!(python.display().to_string());
    }
    json!({
        "argv": [executable.display().to_string(), "--connection-file", "{connection_file}"],
        "display_name": "Rust (tessera)",
        "language": "rust",
        "interrupt_mode": "message",
        "env": env,
        "metadata": { "debugger": false },
    })
}

/// The kernels directory for `location`.
pub fn kernels_dir(location: &Location) -> Result<PathBuf, InstallError> {
    let data = match location {
        Location::User => match std::env::var_os("JUPYTER_DATA_DIR") {
            Some(dir) => PathBuf::from(dir),
            None => {
                let home = std::env::var_os("HOME")
                    .ok_or_else(|| InstallError::NotFound("$HOME".into()))?;
                PathBuf::from(home).join(".local/share/jupyter")
            }
        },
        Location::SysPrefix => python_prefix()?.join("share/jupyter"),
        Location::Prefix(prefix) => prefix.join("share/jupyter"),
    };
    Ok(data.join("kernels"))
}

fn python_prefix() -> Result<PathBuf, InstallError> {
    let out = std::process::Command::new("python3")
        .args(["-c", "import sys; print(sys.prefix)"])
        .output()
        .map_err(|_| InstallError::NotFound("python3 (needed for --sys-prefix)".into()))?;
    Ok(PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
}

/// Writes the kernelspec for `executable` under `location`; returns its directory.
pub fn install(
    location: &Location,
    executable: &Path,
    engine: &Path,
) -> Result<PathBuf, InstallError> {
    let dir = kernels_dir(location)?.join(KERNEL_NAME);
    let write = |name: &str, bytes: &[u8]| -> Result<(), InstallError> {
        let path = dir.join(name);
        std::fs::write(&path, bytes).map_err(|source| InstallError::Write { path, source })
    };
    std::fs::create_dir_all(&dir).map_err(|source| InstallError::Write {
        path: dir.clone(),
        source,
    })?;
    let python = match location {
        Location::User => None,
        Location::SysPrefix => python_prefix().ok().map(|p| p.join("bin/python")),
        Location::Prefix(prefix) => Some(prefix.join("bin/python")),
    }
    .filter(|p| p.exists())
    .and_then(|p| std::path::absolute(p).ok());
    let spec = serde_json::to_string_pretty(&kernel_json(executable, engine, python.as_deref()))
        .expect("kernel.json serializes");
    write("kernel.json", spec.as_bytes())?;
    write("logo-32x32.png", include_bytes!("../assets/logo-32x32.png"))?;
    write("logo-64x64.png", include_bytes!("../assets/logo-64x64.png"))?;
    write("logo-svg.svg", include_bytes!("../assets/logo-svg.svg"))?;
    Ok(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_a_kernelspec_jupyter_can_read() {
        let prefix =
            std::env::temp_dir().join(format!("tessera-install-test-{}", std::process::id()));
        let dir = install(
            &Location::Prefix(prefix.clone()),
            Path::new("/opt/bin/tessera-kernel"),
            Path::new("/src/tessera"),
        )
        .unwrap();
        assert_eq!(dir, prefix.join("share/jupyter/kernels/tessera"));
        let spec: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("kernel.json")).unwrap())
                .unwrap();
        assert_eq!(
            spec["argv"],
            json!([
                "/opt/bin/tessera-kernel",
                "--connection-file",
                "{connection_file}"
            ])
        );
        assert_eq!(spec["display_name"], "Rust (tessera)");
        assert_eq!(spec["language"], "rust");
        assert_eq!(spec["interrupt_mode"], "message");
        assert!(
            spec["env"].get("TESSERA_PYTHON").is_none(),
            "no Python in this prefix"
        );
        assert!(dir.join("logo-64x64.png").exists() && dir.join("logo-svg.svg").exists());
        std::fs::remove_dir_all(prefix).unwrap();
    }
}
