//! (placeholder until the week module lands: the two config enums)

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WeekStart {
    #[default]
    Sunday,
    Monday,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize, serde::Serialize)]
pub enum TimeFormat {
    #[default]
    #[serde(rename = "12h")]
    H12,
    #[serde(rename = "24h")]
    H24,
}
