//! `ballast eval` as a user runs it: stdout, stderr and exit codes.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn ballast(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ballast"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("ballast runs");
    // A child that exits before reading all of stdin is fine.
    let _ = child.stdin.take().expect("stdin").write_all(stdin.as_bytes());
    child.wait_with_output().expect("ballast finishes")
}

#[test]
fn prints_the_spec_report_for_the_spec_example() {
    let out = ballast(&["eval", "tests/fixtures/spec-aave-v3.json"], "");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        concat!(
            r#"{"health_factor":"3.29967003299670033","collateral_value":"20000","debt_value":"5000.5","liquidatable":false,"#,
            r#""liquidation_prices":[{"asset":"WETH","price":"606.1212121212121212","direction":"below"},{"asset":"USDC","price":"3.3","direction":"above"}],"#,
            r#""aave_v3":{"total_collateral_base":"2000000000000","total_debt_base":"500050000000","ltv":8000,"current_liquidation_threshold":8250,"health_factor":"3299670032996700330","available_borrows_base":"1099950000000"}}"#,
            "\n"
        )
    );
}

#[test]
fn reads_stdin_and_pretty_prints() {
    let scenario =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/spec-maker.json")).unwrap();
    let out = ballast(&["eval", "-", "--pretty"], &scenario);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("{\n  \"health_factor\": \"2.7586206896551724\",\n"), "{text}");
}

#[test]
fn bad_input_is_one_line_on_stderr_and_exit_2() {
    let cases = [
        (
            r#"{"schema":"ballast.scenario/1","protocol":"aave-v3","assets":[{"symbol":"WETH","decimals":18,"price":"-5"}]}"#,
            "error: assets[0].price: \"-5\" is negative; numbers here are written without a sign\n",
        ),
        (
            r#"{"schema":"ballast.scenario/1","protocol":"compound","assets":[]}"#,
            "error: protocol: unknown protocol \"compound\", expected one of \"aave-v3\", \"aave-v3.2\", \"aave-v3.3\", \"aave-v3.5\", \"maker\", \"liquity-v1\"\n",
        ),
        ("not json", "error: scenario: expected ident at line 1 column 2\n"),
        ("", "error: scenario: EOF while parsing a value at line 1 column 0\n"),
    ];
    for (input, expected) in cases {
        let out = ballast(&["eval", "-"], input);
        assert_eq!(out.status.code(), Some(2), "{input}");
        assert!(out.stdout.is_empty());
        assert_eq!(String::from_utf8(out.stderr).unwrap(), expected, "{input}");
    }
}

#[test]
fn a_missing_file_and_a_bad_command_line_exit_2() {
    let out = ballast(&["eval", "no-such-file.json"], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr).unwrap().starts_with("error: no-such-file.json: "));
    let out = ballast(&["frobnicate"], "");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn refuses_more_than_one_mebibyte_without_reading_it_all() {
    let out = ballast(&["eval", "-"], &" ".repeat((1 << 20) + 10));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "error: scenario: stdin is larger than 1048576 bytes (1 MiB), the most accepted\n"
    );
}

#[test]
fn apply_prints_the_scenario_after_the_actions_and_refusals_exit_2() {
    let actions =
        r#"[{"action":"borrow","asset":"USDC","amount":"1000"},{"action":"set_price","asset":"WETH","price":"1500"}]"#;
    let out = ballast(&["apply", "tests/fixtures/spec-aave-v3.json", "-"], actions);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let after = String::from_utf8(out.stdout).unwrap();
    let report = ballast(&["eval", "-"], &after);
    // 10 × 1500 × 82.5 % / 6000.6 (5000 + 1000 USDC at 1.0001), wadDiv half up.
    let text = String::from_utf8(report.stdout).unwrap();
    assert!(text.starts_with(r#"{"health_factor":"2.062293770622937706""#), "{text}");

    let too_much = r#"[{"action":"borrow","asset":"USDC","amount":"20000"}]"#;
    let out = ballast(&["apply", "tests/fixtures/spec-aave-v3.json", "-"], too_much);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "error: actions[0] (borrow 20000 USDC): the Pool refuses with COLLATERAL_CANNOT_COVER_NEW_BORROW (36): there is not enough collateral (at its LTV) to cover the borrow\n"
    );
    let out = ballast(&["apply", "tests/fixtures/spec-aave-v3.json", "-"], r#"[{"action":"lend","asset":"USDC"}]"#);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .starts_with("error: actions[0].action: unknown variant `lend`, expected one of"));
}

#[test]
fn project_prints_the_rates_and_the_health_factor_day_by_day() {
    // The spec example borrowing at a stated 10 % a year: HF 3.2997 halves in about 7 years.
    let scenario = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/spec-aave-v3.json"))
        .unwrap()
        .replace(r#""decimals": 6,"#, r#""decimals": 6, "variable_borrow_rate": "0.1","#);
    let out = ballast(&["project", "-", "--days", "2"], &scenario);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["days"], 2);
    assert_eq!(json["days_until_liquidation"], serde_json::Value::Null);
    assert_eq!(json["health_factors"][0], "3.29967003299670033");
    assert_eq!(json["rates"][1]["variable_borrow_rate"], "0.1");
    assert_eq!(json["rates"][1]["utilisation"], serde_json::Value::Null);
    // A day of 10 % a year (compounded as the Pool does) lowers it.
    assert!(json["health_factors"][1].as_str().unwrap() < "3.29967003299670033");
    let out = ballast(&["project", "-", "--days", "many"], &scenario);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(String::from_utf8(out.stderr).unwrap(), "error: --days \"many\" is not a whole number\n");
    let maker =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/spec-maker.json")).unwrap();
    let out = ballast(&["project", "-"], &maker);
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "error: protocol: interest projections are for Aave V3 positions, not maker\n"
    );
}
