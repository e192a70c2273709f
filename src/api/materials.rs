//! My Materials on the wire: `GET /api/v3/usermaterials/{userId}[?before&after]` and the
//! learning-material statuses (`/api/v3/usersessionmaterialstatuses`), read and written as the
//! web client does (`components/user-material-status.gjs`): one record per user and session
//! material, created on the first change and updated after.

use reqwest::Method;
use serde::Deserialize;
use serde_with::{DisplayFromStr, PickFirst, Same, serde_as};

use super::client::Client;
use super::error::ApiError;
use super::models::{Id, UserMaterial};

type AnyId = PickFirst<(Same, DisplayFromStr)>;

/// `UserSessionMaterialStatusDTO`: `status` is 0 (not started), 1 (started) or 2 (complete).
#[serde_as]
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
pub struct MaterialStatusRecord {
    #[serde_as(as = "AnyId")]
    pub id: Id,
    #[serde_as(as = "AnyId")]
    pub user: Id,
    /// The session learning material.
    #[serde_as(as = "AnyId")]
    pub material: Id,
    pub status: i64,
}

const STATUSES: &str = "api/v3/usersessionmaterialstatuses";

fn decode<T: serde::de::DeserializeOwned>(
    client: &Client,
    value: serde_json::Value,
    endpoint: &str,
    key: &str,
) -> Result<T, ApiError> {
    let items = value.get(key).cloned().ok_or_else(|| ApiError::Decode {
        host: client.host().to_string(),
        endpoint: endpoint.to_string(),
        detail: format!("there is no \"{key}\" in it"),
    })?;
    serde_json::from_value(items).map_err(|e| ApiError::Decode {
        host: client.host().to_string(),
        endpoint: endpoint.to_string(),
        detail: crate::text::sanitize_line(&crate::text::shorten(
            &e.to_string(),
            super::client::MAX_MESSAGE_CHARS,
        ))
        .into_owned(),
    })
}

impl Client {
    /// `GET /api/v3/usermaterials/{id}`, bounded by `before`/`after` (unix seconds) when given.
    pub async fn user_materials(
        &self,
        user_id: Id,
        bounds: Option<(i64, i64)>,
    ) -> Result<Vec<UserMaterial>, ApiError> {
        let query: Vec<(String, String)> = match bounds {
            Some((after, before)) => vec![
                ("before".into(), before.to_string()),
                ("after".into(), after.to_string()),
            ],
            None => Vec::new(),
        };
        let resource = format!("usermaterials/{user_id}");
        let value = self.get_value(&resource, &query).await?;
        decode(self, value, &format!("/api/v3/{resource}"), "userMaterials")
    }

    /// The user's material statuses: `GET /api/v3/usersessionmaterialstatuses?filters[user]=ID`.
    pub async fn material_statuses(
        &self,
        user_id: Id,
    ) -> Result<Vec<MaterialStatusRecord>, ApiError> {
        let query = [("filters[user]".to_string(), user_id.to_string())];
        let value = self
            .get_value("usersessionmaterialstatuses", &query)
            .await?;
        decode(
            self,
            value,
            "/api/v3/usersessionmaterialstatuses",
            "userSessionMaterialStatuses",
        )
    }

    /// Saves one status: a new record (`POST`) when the user has none for this material yet,
    /// else an update of theirs (`PUT /{id}`). Answers the record as stored.
    pub async fn save_material_status(
        &self,
        existing: Option<Id>,
        user_id: Id,
        material: Id,
        status: i64,
    ) -> Result<MaterialStatusRecord, ApiError> {
        let record = serde_json::json!({"user": user_id, "material": material, "status": status});
        let body = serde_json::json!({"userSessionMaterialStatus": record});
        match existing {
            None => {
                let answer = self.write_json(Method::POST, STATUSES, &body).await?;
                let mut list: Vec<MaterialStatusRecord> = decode(
                    self,
                    answer,
                    "/api/v3/usersessionmaterialstatuses",
                    "userSessionMaterialStatuses",
                )?;
                list.pop().ok_or_else(|| ApiError::Decode {
                    host: self.host().to_string(),
                    endpoint: format!("/{STATUSES}"),
                    detail: "the new status is not in the answer".into(),
                })
            }
            Some(id) => {
                let path = format!("{STATUSES}/{id}");
                let answer = self.write_json(Method::PUT, &path, &body).await?;
                decode(
                    self,
                    answer,
                    &format!("/{path}"),
                    "userSessionMaterialStatus",
                )
            }
        }
    }
}
