//! The pre-commit hook, through the pre-commit framework itself: `pre-commit
//! try-repo` installs this repository (`cargo install --path .`, which needs
//! the root package) and runs the `actionlog-validate` hook on a sample
//! repository with a good and a bad capture.
//!
//! It runs when `pre-commit` is on PATH (`pip install pre-commit`) and this
//! checkout has a commit to install; otherwise it says why it was skipped.
//! The install is a release build, so expect a few minutes.

use std::path::Path;
use std::process::Command;

fn available(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success())
}

#[test]
fn the_hook_passes_a_good_capture_and_fails_a_bad_one() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    if !available("pre-commit") {
        eprintln!("skipped: pre-commit is not installed (pip install pre-commit)");
        return;
    }
    let head = Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(&root)
        .output();
    let Some(head) = head.ok().filter(|output| output.status.success()) else {
        eprintln!(
            "skipped: {} is not a git checkout with a commit",
            root.display()
        );
        return;
    };
    let head = String::from_utf8_lossy(&head.stdout).trim().to_owned();

    let sample = tempfile::tempdir().unwrap();
    let captures = sample.path().join("captures/stackone.action-log");
    std::fs::create_dir_all(&captures).unwrap();
    std::fs::copy(
        root.join("fixtures/stackone.action-log/valid/page-example.json"),
        captures.join("good.json"),
    )
    .unwrap();
    std::fs::copy(
        root.join("fixtures/stackone.action-log/invalid/schema.enum--log-type-request.json"),
        captures.join("bad.json"),
    )
    .unwrap();
    let git = |args: &[&str]| {
        let status = Command::new("git")
            .args([
                "-c",
                "user.email=test@example.invalid",
                "-c",
                "user.name=test",
            ])
            .args(args)
            .current_dir(sample.path())
            .status()
            .unwrap();
        assert!(status.success(), "git {args:?}");
    };
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-qm", "sample"]);

    let try_repo = |file: &str| {
        Command::new("pre-commit")
            .args([
                "try-repo",
                root.to_str().unwrap(),
                "actionlog-validate",
                "--ref",
                &head,
                "--files",
                file,
            ])
            .current_dir(sample.path())
            .output()
            .unwrap()
    };
    let good = try_repo("captures/stackone.action-log/good.json");
    let good_text = String::from_utf8_lossy(&good.stdout);
    assert!(good.status.success(), "{good_text}");
    assert!(good_text.contains("Passed"), "{good_text}");

    let bad = try_repo("captures/stackone.action-log/bad.json");
    let bad_text = String::from_utf8_lossy(&bad.stdout);
    assert_eq!(bad.status.code(), Some(1), "{bad_text}");
    assert!(bad_text.contains("Failed"), "{bad_text}");
    assert!(bad_text.contains("error[schema.enum]"), "{bad_text}");
}
