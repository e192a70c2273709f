//! Hostile input: every wire model (and the JWT claims) against truncated documents, random
//! bytes, random JSON and random tokens. Each property says what the answer must be, not only
//! that nothing panicked: a cut document is an error, bytes that are not JSON are an error,
//! an accepted object has the fields the model requires, and valid documents decode the same
//! whichever way Ilios spells their ids.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use proptest::prelude::*;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use ilios_tui::api::Claims;
use ilios_tui::api::jwt::JwtError;
use ilios_tui::api::models::*;

/// One decoder: the model's name, a valid document, and the keys it cannot do without.
struct Model {
    name: &'static str,
    /// Decodes bytes; `Ok(())` when the model accepted them.
    bytes: fn(&[u8]) -> Result<(), String>,
    /// Decodes a parsed value.
    value: fn(&Value) -> bool,
    /// Decodes `a` and `b` and says whether both decoded to the same model.
    same: fn(&Value, &Value) -> Result<bool, String>,
    valid: fn() -> Value,
    required: &'static [&'static str],
    /// Numeric keys the model reads in one spelling only.
    strict: &'static [&'static str],
}

fn bytes<T: DeserializeOwned>(b: &[u8]) -> Result<(), String> {
    serde_json::from_slice::<T>(b)
        .map(drop)
        .map_err(|e| e.to_string())
}

fn value<T: DeserializeOwned>(v: &Value) -> bool {
    serde_json::from_value::<T>(v.clone()).is_ok()
}

fn same<T: DeserializeOwned + PartialEq>(a: &Value, b: &Value) -> Result<bool, String> {
    let a: T = serde_json::from_value(a.clone()).map_err(|e| format!("{a}: {e}"))?;
    let b: T = serde_json::from_value(b.clone()).map_err(|e| format!("{b}: {e}"))?;
    Ok(a == b)
}

macro_rules! model {
    ($t:ty, $valid:expr, [$($req:literal),*]) => {
        model!($t, $valid, [$($req),*], [])
    };
    ($t:ty, $valid:expr, [$($req:literal),*], [$($strict:literal),*]) => {
        Model {
            name: stringify!($t),
            bytes: bytes::<$t>,
            value: value::<$t>,
            same: same::<$t>,
            valid: || $valid,
            required: &[$($req),*],
            strict: &[$($strict),*],
        }
    };
}

/// A full event as `GET /api/v3/userevents` sends it (ids of materials as strings).
fn user_event() -> Value {
    json!({"name":"session1Title","courseTitle":"firstCourse",
      "startDate":"2016-09-08T15:00:00+00:00","endDate":"2016-09-08T17:00:00+00:00","offering":1,
      "location":"Room 101","color":"#cc0000","lastModified":"2016-09-01T10:00:00+00:00",
      "isPublished":true,"isScheduled":false,"instructors":["disnom (them)"],
      "learningMaterials":[material()],
      "attireRequired":false,"attendanceRequired":true,"session":4,"course":2,
      "courseExternalId":"AEOL-202","sessionTypeId":1,"sessionTypeTitle":"Lecture",
      "prerequisites":[{"name":"pre","startDate":"2016-09-07T15:00:00+00:00",
        "endDate":"2016-09-07T16:00:00+00:00","ilmSession":3}],
      "postrequisites":[],"school":1,"courseLevel":2,"userContexts":["learner"],"user":5})
}

fn material() -> Value {
    json!({"id":"1","sessionLearningMaterial":"1","position":"1","required":true,
      "title":"firstlmtitle","mimetype":"citation","citation":"citation1","isBlanked":false,
      "startDate":"2016-09-01T00:00:00+00:00"})
}

/// Every model in `src/api/models.rs`, and the JWT claims.
fn models() -> Vec<Model> {
    vec![
        model!(
            User,
            json!({"id":5,"lastName":"fuenf","firstName":"five","middleName":"baz",
                "email":"five@test.org","enabled":true,"userSyncIgnore":false,"root":false,
                "school":1,"primaryCohort":"2","learnerGroups":["1","2","5","6"],
                "offerings":["7"],"roles":["1"],"cohorts":["2"],"directedCourses":["3"],
                "administeredSchools":["1"]}),
            ["id"],
            // Unlike the other entities, a user's own id must be a number.
            ["id"]
        ),
        model!(
            UserRole,
            json!({"id":"1","title":"Course Director"}),
            ["id", "title"]
        ),
        model!(
            School,
            json!({"id":1,"title":"Medicine","programs":["1"],"directors":[],"administrators":["1"]}),
            ["id", "title"]
        ),
        model!(
            Cohort,
            json!({"id":1,"title":"Class of 2028","programYear":1,"learnerGroups":["1"],"users":["2"]}),
            ["id", "title"]
        ),
        model!(
            ProgramYear,
            json!({"id":1,"startYear":2024,"program":1,"cohort":1,"directors":["1"]}),
            ["id"]
        ),
        model!(
            Program,
            json!({"id":1,"title":"Doctor of Medicine","shortTitle":"MD","school":1,
                "programYears":["1","2"],"directors":[]}),
            ["id", "title"]
        ),
        model!(
            LearnerGroup,
            json!({"id":2,"title":"Group A1","location":"Room 3","cohort":1,"parent":1,
                "ancestor":1,"children":[],"users":["2"]}),
            ["id", "title"]
        ),
        model!(
            Course,
            json!({"id":1,"title":"Aging and End of Life","year":2026,"level":2,"school":1,
                "externalId":"AEOL-202","published":true,"publishedAsTbd":false,
                "directors":["1"],"administrators":["6"],"sessions":["1","2"],"cohorts":["1"]}),
            ["id"]
        ),
        model!(
            Session,
            json!({"id":4,"title":"Lecture 1","course":1,"sessionType":2,"published":true,
                "administrators":["1"],"offerings":["8","9"]}),
            ["id"]
        ),
        model!(
            AcademicYear,
            json!({"id":"2024","title":"2024"}),
            ["id", "title"]
        ),
        model!(UserEvent, user_event(), ["name", "startDate", "endDate"]),
        model!(UserMaterial, material(), []),
        model!(
            ApplicationConfig,
            json!({"type":"form","locale":"en","apiVersion":"v3.15","appVersion":"v3.120.0",
                "academicYearCrossesCalendarYearBoundaries":false,"materialStatusEnabled":true}),
            ["type"]
        ),
        model!(
            LoginResponse,
            json!({"status":"error","errors":["badCredentials"]}),
            []
        ),
        model!(JwtResponse, json!({"jwt":"a.b.c"}), ["jwt"]),
        model!(WhoAmI, json!({"userId":"2"}), ["userId"]),
        model!(
            ErrorBody,
            json!({"code":400,"message":"Invalid TTL value"}),
            ["message"]
        ),
        model!(
            Claims,
            json!({"iss":"ilios","iat":"1700000000","exp":"1700028800",
                "firstCreatedAt":"1700000000","refreshCount":0,"user_id":2}),
            []
        ),
    ]
}

/// Keys whose values are ids (or unix seconds) that Ilios may spell as strings or numbers.
const NUMERIC_KEYS: &[&str] = &[
    "id",
    "school",
    "primaryCohort",
    "learnerGroups",
    "offerings",
    "roles",
    "cohorts",
    "directedCourses",
    "administeredSchools",
    "programs",
    "administrators",
    "programYear",
    "users",
    "program",
    "cohort",
    "directors",
    "programYears",
    "parent",
    "ancestor",
    "sessions",
    "course",
    "sessionType",
    "offering",
    "ilmSession",
    "session",
    "sessionTypeId",
    "user",
    "sessionLearningMaterial",
    "userId",
    "iat",
    "exp",
    "firstCreatedAt",
    "user_id",
];

/// `"12"` ↔ `12`; anything else unchanged.
fn respell(v: &Value) -> Value {
    match v {
        Value::String(s) => s.parse::<u64>().map_or_else(|_| v.clone(), |n| json!(n)),
        Value::Number(n) => n
            .as_u64()
            .map_or_else(|| v.clone(), |n| json!(n.to_string())),
        Value::Array(items) => Value::Array(items.iter().map(respell).collect()),
        _ => v.clone(),
    }
}

/// Respells the numeric keys picked by `mask` (recursively; not the `strict` keys of the top
/// level) and adds `extra` unknown keys.
fn variant(v: &Value, mask: u64, extra: &[(String, Value)], strict: &[&str]) -> Value {
    match v {
        Value::Object(m) => {
            let mut out = serde_json::Map::new();
            for (i, (k, x)) in m.iter().enumerate() {
                let x = variant(x, mask.rotate_left(7), &[], &[]);
                let pick = (mask >> (i % 64)) & 1 == 1;
                let x = if pick
                    && NUMERIC_KEYS.contains(&k.as_str())
                    && !strict.contains(&k.as_str())
                {
                    respell(&x)
                } else {
                    x
                };
                out.insert(k.clone(), x);
            }
            for (k, x) in extra {
                out.insert(format!("zzUnknown{k}"), x.clone());
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|x| variant(x, mask.rotate_left(3), extra, &[]))
                .collect(),
        ),
        _ => v.clone(),
    }
}

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
                    Just("type".to_string()),
                    Just("message".to_string()),
                    Just("jwt".to_string()),
                    Just("userId".to_string()),
                    Just("user_id".to_string()),
                    Just("exp".to_string()),
                    "[a-zA-Z]{1,12}",
                ],
                inner,
                0..8
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Random bytes, or a valid document with a few bytes changed, inserted or removed (so that
/// some inputs are still JSON, of the model's shape or not).
fn arb_bytes() -> impl Strategy<Value = Vec<u8>> {
    let n = models().len();
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..256),
        (
            0..n,
            prop::collection::vec((0usize..4096, any::<u8>(), 0u8..3), 1..4)
        )
            .prop_map(|(m, edits)| {
                let mut b = serde_json::to_vec(&(models()[m].valid)()).unwrap();
                for (at, byte, how) in edits {
                    let at = at % (b.len() + 1);
                    match how {
                        0 if at < b.len() => b[at] = byte,
                        1 => b.insert(at, byte),
                        _ if at < b.len() => drop(b.remove(at)),
                        _ => {}
                    }
                }
                b
            }),
    ]
}

fn token_with_payload(payload: &str) -> String {
    format!(
        "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.{}.c2ln",
        URL_SAFE_NO_PAD.encode(payload)
    )
}

#[test]
fn every_valid_document_decodes_and_every_cut_of_it_is_an_error() {
    for m in models() {
        let doc = serde_json::to_vec(&(m.valid)()).unwrap();
        assert_eq!((m.bytes)(&doc), Ok(()), "{}", m.name);
        for cut in 0..doc.len() {
            assert!(
                (m.bytes)(&doc[..cut]).is_err(),
                "{} accepted a document cut at byte {cut} of {}: {:?}",
                m.name,
                doc.len(),
                String::from_utf8_lossy(&doc[..cut])
            );
        }
    }
}

#[test]
fn each_required_key_is_required() {
    for m in models() {
        for key in m.required {
            let mut v = (m.valid)();
            v.as_object_mut().unwrap().remove(*key);
            assert!(!(m.value)(&v), "{} decoded without {key}", m.name);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Ids as strings or numbers, and keys the model does not know, change nothing.
    #[test]
    fn valid_documents_decode_the_same_however_ids_are_spelled(
        mask in any::<u64>(),
        extra in prop::collection::vec(("[a-z]{1,6}", arb_json()), 0..3),
    ) {
        for m in models() {
            let doc = (m.valid)();
            let other = variant(&doc, mask, &extra, m.strict);
            let text = serde_json::to_vec(&other).unwrap();
            prop_assert_eq!((m.bytes)(&text), Ok(()), "{}: {}", m.name, other);
            prop_assert_eq!((m.same)(&doc, &other), Ok(true), "{}: {}", m.name, other);
        }
    }

    /// A random JSON value: scalars are no model; an accepted object has the required keys;
    /// any cut of an object or an array is an error for every model.
    #[test]
    fn random_json_is_accepted_only_in_the_models_shape(value in arb_json(), cut in any::<prop::sample::Index>()) {
        let bytes = serde_json::to_vec(&value).unwrap();
        let cut = cut.index(bytes.len());
        for m in models() {
            let accepted = (m.value)(&value);
            prop_assert_eq!(accepted, (m.bytes)(&bytes).is_ok(), "{}: {}", m.name, value);
            match &value {
                Value::Object(o) => {
                    if accepted {
                        for key in m.required {
                            prop_assert!(o.contains_key(*key), "{} accepted {} without {}", m.name, value, key);
                        }
                    }
                }
                Value::Array(_) => {}
                _ => prop_assert!(!accepted, "{} accepted the scalar {}", m.name, value),
            }
            if value.is_object() || value.is_array() {
                prop_assert!((m.bytes)(&bytes[..cut]).is_err(), "{} accepted {:?}", m.name, String::from_utf8_lossy(&bytes[..cut]));
            }
        }
    }

    /// Bytes that are not JSON are an error for every model; JSON is accepted only when the
    /// parsed value is. (serde_json skips the strings of keys a model does not read without
    /// checking their UTF-8, so "JSON" here is what `IgnoredAny` accepts.)
    #[test]
    fn random_bytes_are_an_error_unless_they_are_the_models_json(bytes in arb_bytes()) {
        let structure = serde_json::from_slice::<serde::de::IgnoredAny>(&bytes);
        let parsed = serde_json::from_slice::<Value>(&bytes);
        for m in models() {
            let decoded = (m.bytes)(&bytes);
            if structure.is_err() {
                prop_assert!(decoded.is_err(), "{} accepted {:?}", m.name, String::from_utf8_lossy(&bytes));
            }
            if let (Ok(v), Ok(())) = (&parsed, &decoded) {
                prop_assert!((m.value)(v), "{} accepted the bytes of {} but not the value", m.name, v);
            }
        }
    }

    /// A token decodes only with three parts, a base64url payload and a JSON object in it.
    #[test]
    fn jwt_decoding_says_what_is_wrong(
        parts in prop::collection::vec(prop_oneof!["[A-Za-z0-9_=-]{0,24}", ".{0,24}"], 0..5),
        payload in prop::option::of(arb_json()),
    ) {
        let mut parts = parts;
        if let (Some(p), true) = (&payload, parts.len() == 3) {
            parts[1] = URL_SAFE_NO_PAD.encode(p.to_string());
        }
        let text = parts.join(".");
        let result = Claims::decode(&text);
        let segments: Vec<&str> = text.trim().split('.').collect();
        if segments.len() != 3 {
            prop_assert_eq!(result, Err(JwtError::Segments), "{:?}", text);
            return Ok(());
        }
        match URL_SAFE_NO_PAD.decode(segments[1].trim_end_matches('=')) {
            Err(_) => prop_assert_eq!(result, Err(JwtError::Base64), "{:?}", text),
            Ok(json) => match serde_json::from_slice::<Value>(&json) {
                Err(_) => prop_assert!(matches!(result, Err(JwtError::Json(_))), "{:?}: {:?}", text, result),
                Ok(v) if !v.is_object() && !v.is_array() => {
                    prop_assert!(matches!(result, Err(JwtError::Json(_))), "{:?}: {:?}", text, result)
                }
                Ok(_) => {}
            },
        }
    }

    /// A payload's user id and expiry are read as written, or refused.
    #[test]
    fn jwt_payload_claims_are_read_as_written(value in arb_json(), user in prop::option::of(prop_oneof![
        any::<i64>().prop_map(|n| json!(n)),
        any::<i64>().prop_map(|n| json!(n.to_string())),
        "[a-z]{1,4}".prop_map(Value::String),
    ])) {
        let mut value = value;
        if let (Value::Object(o), Some(u)) = (&mut value, &user) {
            o.insert("user_id".into(), u.clone());
        }
        let result = Claims::decode(&token_with_payload(&value.to_string()));
        let Value::Object(o) = &value else {
            if !value.is_array() {
                prop_assert!(result.is_err(), "{}: {:?}", value, result);
            }
            return Ok(());
        };
        let expected_user = match o.get("user_id") {
            None | Some(Value::Null) => Some(None),
            Some(Value::Number(n)) => Some(n.as_i64().or_else(|| n.as_f64().map(|f| f.trunc() as i64))),
            Some(Value::String(s)) => s.trim().parse::<i64>().ok().map(Some),
            Some(_) => None,
        };
        match (expected_user, &result) {
            (None, r) => prop_assert!(r.is_err(), "{}: {:?}", value, r),
            (Some(id), Ok(claims)) => {
                prop_assert_eq!(claims.user_id, id);
                let usable = id.and_then(|i| u64::try_from(i).ok());
                prop_assert_eq!(claims.user_id().ok(), usable);
                if let Some(exp) = claims.exp {
                    prop_assert_eq!(claims.expires_at().map(|t| t.timestamp()).unwrap_or(exp), exp);
                } else {
                    prop_assert_eq!(claims.expires_at(), None);
                }
            }
            // Another claim (exp given as garbage, say) can refuse the payload.
            (Some(_), Err(_)) => {}
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
    let e: UserEvent = serde_json::from_value(user_event()).unwrap();
    assert_eq!(e.learning_materials[0].session_learning_material, Some(1));
    assert_eq!(e.learning_materials[0].position_number(), 1);
    assert_eq!(e.prerequisites[0].ilm_session, Some(3));
}
