//! The response decoders and the JWT claims decoder on arbitrary bytes: errors, never panics.
//! Decoded user events also go through the Week at a Glance builder, and decoded users through
//! the My Profile assembly, since both read fields a hostile server controls.
#![no_main]

use ilios_tui::api::Claims;
use ilios_tui::api::models::*;
use libfuzzer_sys::fuzz_target;

fn decode<T: serde::de::DeserializeOwned>(data: &[u8]) -> Option<T> {
    serde_json::from_slice::<T>(data).ok()
}

fuzz_target!(|data: &[u8]| {
    let _ = decode::<ApplicationConfig>(data);
    let _ = decode::<UserRole>(data);
    let _ = decode::<School>(data);
    let _ = decode::<Cohort>(data);
    let _ = decode::<ProgramYear>(data);
    let _ = decode::<Program>(data);
    let _ = decode::<LearnerGroup>(data);
    let _ = decode::<Course>(data);
    let _ = decode::<Session>(data);
    let _ = decode::<AcademicYear>(data);
    let _ = decode::<UserMaterial>(data);
    let _ = decode::<LoginResponse>(data);
    let _ = decode::<JwtResponse>(data);
    let _ = decode::<WhoAmI>(data);
    let _ = decode::<ErrorBody>(data);
    if let Some(user) = decode::<User>(data) {
        let _ = ilios_tui::domain::profile::related_requests(&user);
        let _ = ilios_tui::domain::profile::ProfileData::new(user, false);
    }
    if let Some(events) = decode::<Vec<UserEvent>>(data) {
        let _ = ilios_tui::domain::week::glance_at(&events, &chrono::Utc, chrono::DateTime::UNIX_EPOCH);
    }
    if let Some(event) = decode::<UserEvent>(data) {
        let _ = ilios_tui::domain::week::glance_at(&[event], &chrono::Local, chrono::DateTime::UNIX_EPOCH);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(claims) = Claims::decode(text) {
            let _ = claims.user_id();
            let _ = claims.expires_at();
            let _ = claims.first_created();
        }
    }
});
