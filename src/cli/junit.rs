//! JUnit XML for CI systems: one test suite per subject, one test case per check.

use std::time::Duration;

use quick_junit::{NonSuccessKind, Report as JUnit, TestCase, TestCaseStatus, TestSuite};

use crate::report::{CheckStatus, Report, render_finding};

/// Renders a report as JUnit XML.
pub(crate) fn render_junit(report: &Report) -> String {
    let mut junit = JUnit::new("toolcontract");
    junit.set_time(Duration::from_millis(report.elapsed_ms));
    for subject in &report.subjects {
        let mut suite = TestSuite::new(subject.name.as_str());
        for check in &subject.checks {
            let status = match check.status {
                CheckStatus::Passed => TestCaseStatus::success(),
                CheckStatus::Off => {
                    let mut status = TestCaseStatus::skipped();
                    status.set_message("turned off by the configuration");
                    status
                }
                CheckStatus::Warned => TestCaseStatus::success(),
                CheckStatus::Failed => {
                    let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                    if let Some(finding) = report.findings.iter().find(|f| {
                        (f.subject == subject.name || f.also.contains(&subject.name))
                            && f.check == check.check
                    }) {
                        status
                            .set_message(finding.message.as_str())
                            .set_type(check.check.as_str())
                            .set_description(render_finding(finding, false));
                    }
                    status
                }
            };
            let mut case = TestCase::new(check.check.as_str(), status);
            case.set_classname(format!("toolcontract.{}", subject.name));
            // JUnit has no warnings: a warned check passes, with the finding as its output
            // and a `severity` property.
            if let Some(finding) = report.findings.iter().find(|f| {
                (f.subject == subject.name || f.also.contains(&subject.name))
                    && f.check == check.check
            }) {
                case.add_property(quick_junit::Property::new(
                    "severity",
                    finding.severity.as_str(),
                ));
                if check.status == CheckStatus::Warned {
                    case.set_system_out(format!("warning: {}", render_finding(finding, false)));
                }
            }
            suite.add_test_case(case);
        }
        junit.add_test_suite(suite);
    }
    junit
        .to_string()
        .unwrap_or_else(|e| format!("<!-- JUnit serialization failed: {e} -->"))
}
