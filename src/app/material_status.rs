//! The user's learning-material statuses, one book for the whole app: My Materials, the glance
//! and the event detail all read it, and every change goes through it, so a box ticked in one
//! place is ticked in the others, and a material never has two writes in flight.
//!
//! The web client reads them once per page through the user record
//! (ilios/frontend `packages/ilios-common/addon/components/user-material-status.gjs`:
//! `currentUser.getModel()`, then `user.sessionMaterialStatuses`) and shows no box until they
//! are loaded. This client asks `usersessionmaterialstatuses?filters[user]={id}` (the same
//! records, in one request) when the server has `materialStatusEnabled` on, and again with `r`.

use std::collections::HashSet;

use crate::api::materials::MaterialStatusRecord;
use crate::api::models::Id;
use crate::domain::materials::{MaterialStatus, Statuses};

use super::panes::materials::StatusWrite;

#[derive(Debug, Default)]
pub struct MaterialStatusBook {
    /// The user's records once the server answered; `None` before, when the feature is off, or
    /// when they could not be read (then no box is drawn anywhere, as in the web client).
    statuses: Option<Statuses>,
    /// The request whose answer counts (an older one's answer is dropped).
    pub seq: u64,
    /// Whether the statuses have been asked for in this session.
    pub requested: bool,
    /// Session materials whose write is still out: another change waits for its answer (a
    /// second write could create a second record, and answers could arrive out of order).
    saving: HashSet<Id>,
}

impl MaterialStatusBook {
    /// The statuses to draw, or `None` for no boxes at all.
    pub fn shown(&self) -> Option<&Statuses> {
        self.statuses.as_ref()
    }

    /// A session material's status, or `None` when no box is drawn.
    pub fn of(&self, material: Id) -> Option<MaterialStatus> {
        self.statuses.as_ref().map(|s| s.get(material))
    }

    /// The server's records (`None`: the feature is off or they did not load). A material whose
    /// write is still out keeps the status shown; the write's answer settles it.
    pub fn load(&mut self, records: Option<&[MaterialStatusRecord]>) {
        let Some(records) = records else {
            self.statuses = None;
            return;
        };
        let mut fresh = Statuses::new(records.iter().map(|r| (r.id, r.material, r.status)));
        if let Some(old) = &self.statuses {
            for &material in &self.saving {
                fresh.set(old.record_of(material), material, old.get(material));
            }
        }
        self.statuses = Some(fresh);
    }

    /// Whether a write for `material` is still out.
    pub fn is_saving(&self, material: Id) -> bool {
        self.saving.contains(&material)
    }

    /// A click on the box: the status moves on at once (the web client shows the new state
    /// while it saves) and the write to send is returned. `None` when no box is shown or a
    /// write for this material is still out.
    pub fn cycle(&mut self, material: Id) -> Option<StatusWrite> {
        let statuses = self.statuses.as_mut()?;
        if !self.saving.insert(material) {
            return None;
        }
        let previous = statuses.get(material);
        let write = StatusWrite {
            existing: statuses.record_of(material),
            material,
            status: previous.next(),
            previous,
        };
        statuses.set(write.existing, material, write.status);
        Some(write)
    }

    /// The server stored it: remember the record, so the next change updates it.
    pub fn saved(&mut self, record: &MaterialStatusRecord) {
        self.saving.remove(&record.material);
        if let Some(statuses) = &mut self.statuses {
            let status = MaterialStatus::from_wire(record.status);
            statuses.set(Some(record.id), record.material, status);
        }
    }

    /// The server refused: the box goes back to what it was.
    pub fn failed(&mut self, write: StatusWrite) {
        self.saving.remove(&write.material);
        if let Some(statuses) = &mut self.statuses {
            statuses.set(write.existing, write.material, write.previous);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: Id, material: Id, status: i64) -> MaterialStatusRecord {
        MaterialStatusRecord {
            id,
            user: 2,
            material,
            status,
        }
    }

    #[test]
    fn no_box_until_loaded_and_none_when_the_feature_is_off() {
        let mut book = MaterialStatusBook::default();
        assert_eq!(book.of(10), None);
        assert_eq!(book.cycle(10), None);
        book.load(Some(&[record(5, 10, 2)]));
        assert_eq!(book.of(10), Some(MaterialStatus::Complete));
        assert_eq!(book.of(11), Some(MaterialStatus::NotStarted));
        book.load(None);
        assert_eq!(book.of(10), None);
    }

    #[test]
    fn one_write_in_flight_per_material_and_a_refusal_puts_it_back() {
        let mut book = MaterialStatusBook::default();
        book.load(Some(&[record(5, 10, 2)]));
        let write = book.cycle(10).unwrap();
        assert_eq!(
            write,
            StatusWrite {
                existing: Some(5),
                material: 10,
                status: MaterialStatus::NotStarted,
                previous: MaterialStatus::Complete,
            }
        );
        assert_eq!(book.of(10), Some(MaterialStatus::NotStarted));
        assert_eq!(book.cycle(10), None, "the first write is still out");
        // A reload meanwhile keeps what is shown for the material being saved.
        book.load(Some(&[record(5, 10, 2)]));
        assert_eq!(book.of(10), Some(MaterialStatus::NotStarted));
        book.failed(write);
        assert_eq!(book.of(10), Some(MaterialStatus::Complete));
        // Another material: a new record, remembered once stored.
        let write = book.cycle(20).unwrap();
        assert_eq!(
            (write.existing, write.status),
            (None, MaterialStatus::InProgress)
        );
        book.saved(&record(7, 20, 1));
        assert!(!book.is_saving(20));
        assert_eq!(book.cycle(20).unwrap().existing, Some(7));
    }
}
