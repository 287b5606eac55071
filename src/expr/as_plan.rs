//! What lowering and the other plan readers accept: anything that is (or holds) a plan node,
//! so the layers below the user's `Array` take one without knowing it.

use super::NodeRef;
use crate::error::Result;

/// A value that is, or holds, a plan: an `Array` (whose error, if it is invalid, is returned)
/// or a [`NodeRef`].
pub trait AsPlan {
    /// The plan's root node.
    ///
    /// **Errors**: the error an invalid array carries.
    fn plan_root(&self) -> Result<&NodeRef>;
}

impl AsPlan for NodeRef {
    fn plan_root(&self) -> Result<&NodeRef> {
        Ok(self)
    }
}
