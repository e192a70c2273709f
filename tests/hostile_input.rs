//! Hostile input: random JSON and random tokens never panic the decoders; they give errors.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use proptest::prelude::*;
use serde_json::{Value, json};

use ilios_tui::api::Claims;
use ilios_tui::api::models::*;

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        "[a-zA-Z0-9 :+T.-]{0,24}".prop_map(Value::String),
        // Things that look like what Ilios sends.
        Just(json!("2016-09-08T15:00:00+00:00")),
        Just(json!("12")),
    ];
    leaf.prop_recursive(4, 48, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    Just("id".to_string()),
                    Just("title".to_string()),
                    Just("name".to_string()),
                    Just("startDate".to_string()),
                    Just("endDate".to_string()),
                    Just("cohorts".to_string()),
                    Just("learningMaterials".to_string()),
                    Just("prerequisites".to_string()),
                    Just("userEvents".to_string()),
                    Just("users".to_string()),
                    "[a-zA-Z]{1,12}",
                ],
                inner,
                0..8
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Decodes `value` as every model; returns how many decoders accepted it.
fn decode_all(value: &Value) -> usize {
    fn one<T: serde::de::DeserializeOwned>(v: &Value) -> usize {
        serde_json::from_value::<T>(v.clone()).is_ok() as usize
    }
    one::<User>(value)
        + one::<UserRole>(value)
        + one::<School>(value)
        + one::<Cohort>(value)
        + one::<ProgramYear>(value)
        + one::<Program>(value)
        + one::<LearnerGroup>(value)
        + one::<Course>(value)
        + one::<Session>(value)
        + one::<AcademicYear>(value)
        + one::<UserEvent>(value)
        + one::<UserMaterial>(value)
        + one::<ApplicationConfig>(value)
        + one::<LoginResponse>(value)
        + one::<JwtResponse>(value)
        + one::<WhoAmI>(value)
        + one::<ErrorBody>(value)
}

fn token_with_payload(payload: &str) -> String {
    format!(
        "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.{}.c2ln",
        URL_SAFE_NO_PAD.encode(payload)
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn decoders_never_panic_on_random_json(value in arb_json()) {
        let _ = decode_all(&value);
        let bytes = serde_json::to_vec(&value).unwrap();
        // Truncated bodies (a dropped connection, a garbage fault) are errors, never panics.
        for cut in [0, bytes.len() / 2, bytes.len().saturating_sub(1)] {
            prop_assert!(serde_json::from_slice::<UserEvent>(&bytes[..cut]).is_err() || cut == bytes.len());
        }
    }

    #[test]
    fn decoders_never_panic_on_random_bytes(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let _ = serde_json::from_slice::<User>(&bytes);
        let _ = serde_json::from_slice::<UserEvent>(&bytes);
        let _ = serde_json::from_slice::<ApplicationConfig>(&bytes);
    }

    #[test]
    fn jwt_decoding_never_panics(text in ".{0,200}") {
        let _ = Claims::decode(&text);
    }

    #[test]
    fn jwt_random_payloads_never_panic(value in arb_json()) {
        let token = token_with_payload(&value.to_string());
        if let Ok(claims) = Claims::decode(&token) {
            let _ = claims.user_id();
            let _ = claims.expires_at();
            let _ = claims.first_created();
        }
    }

    /// Time claims as strings or numbers decode to the same value; garbage is an error.
    #[test]
    fn time_claims_as_strings_or_numbers(exp in 0i64..4_102_444_800, as_string in any::<bool>(), missing_first in any::<bool>()) {
        let e = if as_string { json!(exp.to_string()) } else { json!(exp) };
        let mut payload = json!({"iat": e.clone(), "exp": e.clone(), "user_id": 5});
        if !missing_first {
            payload["firstCreatedAt"] = e;
        }
        let claims = Claims::decode(&token_with_payload(&payload.to_string())).unwrap();
        prop_assert_eq!(claims.exp, Some(exp));
        prop_assert_eq!(claims.first_created().map(|t| t.timestamp()), Some(exp));
        let bad = json!({"exp": "not a time", "user_id": 5});
        prop_assert!(Claims::decode(&token_with_payload(&bad.to_string())).is_err());
    }
}

#[test]
fn a_real_user_event_decodes() {
    let v = json!({"name":"session1Title","courseTitle":"firstCourse",
      "startDate":"2016-09-08T15:00:00+00:00","endDate":"2016-09-08T17:00:00+00:00","offering":1,
      "isPublished":true,"isScheduled":false,"instructors":["disnom (them)"],
      "learningMaterials":[{"id":"1","sessionLearningMaterial":"1","position":"1","required":true,
        "title":"firstlmtitle","mimetype":"citation","citation":"citation1","isBlanked":false}],
      "postrequisites":[],"prerequisites":[],"school":1,"user":5});
    let e: UserEvent = serde_json::from_value(v).unwrap();
    assert_eq!(e.learning_materials[0].session_learning_material, Some(1));
    assert_eq!(e.learning_materials[0].position_number(), 1);
}
