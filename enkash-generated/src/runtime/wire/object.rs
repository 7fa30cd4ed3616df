//! Serde for generated structs, written once: [`json_object!`] implements `Serialize` and
//! `Deserialize` for a struct from a one-line-per-field table of its JSON members.
//!
//! It replaces `#[derive(serde::Serialize, serde::Deserialize)]` with field attributes, and does
//! less: a generated struct is read from a JSON object only (serde's derive also reads it from an
//! array, which EnKash never sends), field names are matched by the shared [`KnownKey`] instead of
//! a per-struct identifier type, and every per-field step is one call of a generic helper below
//! with no `?` of its own (a `?` is a trait-resolved match the compiler checks at every use).
//! The behaviour the derive had is kept: unknown members are ignored, a member given twice is an
//! error, a missing required member is an error naming it, an optional member may be missing or
//! `null`, aliases are read but never written, and optional members that are `None` are not
//! written. This roughly halves what the compiler has to check per struct; the bench and the
//! profile behind it are in `BENCHMARKS.md`.
//!
//! The table, one entry per field, in declaration order:
//!
//! ```text
//! crate::runtime::wire::json_object! {
//!     OrderRequest: sent;
//!     required order_id = "orderId";
//!     optional amount = "amount" => decimal::option;
//!     nullable note = "note" | "remark";
//! }
//! ```
//!
//! - The direction after the name picks the impls: `sent` (`Serialize`; `Deserialize` only with the
//!   `serde-roundtrip` feature), `received` (the other way round), `both`, or `parameters` (query
//!   and header parameters, which generated code writes one by one: both only with
//!   `serde-roundtrip`).
//! - `required`: a `T` that must be present. `optional`: an `Option<T>`, skipped when `None`.
//!   `nullable`: an `Option<T>` that may be missing or `null` when read and is always written
//!   (`null` for `None`).
//! - `| "alias"`: also read from that member name.
//! - `=> module`: the value goes through the [`WireFormat`] of `crate::runtime::wire::module`.
//! - `[sensitive]` (last): the spec marks the member sensitive; a drift pass keeps no value read
//!   inside it (`crate::runtime::drift`).

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde::ser::{Serialize, SerializeStruct, Serializer};

/// How a field's value is written and read when it is not its type's own serde form (exact
/// decimals, EnKash's date forms). Each `wire` module has one, named `Format`.
pub(crate) trait WireFormat {
    /// The field's Rust type.
    type Value;

    /// Writes `value`.
    fn serialize<S: Serializer>(value: &Self::Value, serializer: S) -> Result<S::Ok, S::Error>;

    /// Reads a value.
    fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self::Value, D::Error>;
}

/// Declares a `wire` module's [`WireFormat`], `Format`, from the module's `serialize` and
/// `deserialize` functions for values of type `$ty`.
macro_rules! wire_format {
    ($ty:ty) => {
        /// This module's format, for `json_object!`.
        pub(crate) struct Format;

        impl $crate::runtime::wire::object::WireFormat for Format {
            type Value = $ty;

            fn serialize<S: serde::Serializer>(
                value: &$ty,
                serializer: S,
            ) -> Result<S::Ok, S::Error> {
                serialize(value, serializer)
            }

            fn deserialize<'de, D: serde::Deserializer<'de>>(
                deserializer: D,
            ) -> Result<$ty, D::Error> {
                deserialize(deserializer)
            }
        }
    };
}

pub(crate) use wire_format;

/// A value written through the format `F`.
pub(crate) struct With<'a, F: WireFormat>(pub(crate) &'a F::Value, pub(crate) PhantomData<F>);

impl<F: WireFormat> Serialize for With<'_, F> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        F::serialize(self.0, serializer)
    }
}

/// The members of a struct being written: the first error stops the writing and is returned by
/// [`Members::end`], so that generated code needs no `?` per member.
pub(crate) struct Members<S: SerializeStruct>(Result<S, S::Error>);

impl<S: SerializeStruct> Members<S> {
    /// Starts writing struct `name` of `len` members with `serializer`.
    pub(crate) fn start<Z>(serializer: Z, name: &'static str, len: usize) -> Self
    where
        Z: Serializer<SerializeStruct = S, Ok = S::Ok, Error = S::Error>,
    {
        Members(serializer.serialize_struct(name, len))
    }

    /// Writes member `name`.
    pub(crate) fn member<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        if let Ok(out) = &mut self.0
            && let Err(err) = out.serialize_field(name, value)
        {
            self.0 = Err(err);
        }
    }

    /// Writes member `name` through the format `F`.
    pub(crate) fn member_with<F: WireFormat>(&mut self, name: &'static str, value: &F::Value) {
        self.member(name, &With::<F>(value, PhantomData));
    }

    /// Writes member `name` when it is `Some`, and skips it otherwise.
    pub(crate) fn optional<T: Serialize>(&mut self, name: &'static str, value: &Option<T>) {
        if value.is_some() {
            self.member(name, value);
        } else {
            self.skip(name);
        }
    }

    /// [`Members::optional`] through the format `F`, whose values are `Option<T>`.
    pub(crate) fn optional_with<F: WireFormat<Value = Option<T>>, T>(
        &mut self,
        name: &'static str,
        value: &Option<T>,
    ) {
        if value.is_some() {
            self.member_with::<F>(name, value);
        } else {
            self.skip(name);
        }
    }

    fn skip(&mut self, name: &'static str) {
        if let Ok(out) = &mut self.0
            && let Err(err) = out.skip_field(name)
        {
            self.0 = Err(err);
        }
    }

    /// Ends the struct, or returns the first error.
    pub(crate) fn end(self) -> Result<S::Ok, S::Error> {
        self.0?.end()
    }
}

/// A value read through the format `F`.
pub(crate) struct Read<F: WireFormat>(pub(crate) PhantomData<F>);

impl<'de, F: WireFormat> DeserializeSeed<'de> for Read<F> {
    type Value = F::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<F::Value, D::Error> {
        F::deserialize(deserializer)
    }
}

/// Reads a member name, as the one of `names` it equals (or `None` for a member the struct does
/// not have), without allocating.
pub(crate) struct KnownKey(pub(crate) &'static [&'static str]);

impl<'de> DeserializeSeed<'de> for KnownKey {
    type Value = Option<&'static str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for KnownKey {
    type Value = Option<&'static str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Self::Value, E> {
        Ok(self.0.iter().copied().find(|name| *name == key))
    }

    fn visit_bytes<E: de::Error>(self, key: &[u8]) -> Result<Self::Value, E> {
        Ok(self.0.iter().copied().find(|name| name.as_bytes() == key))
    }
}

/// Reads the value of member `name` into `slot`; a second value for it is an error.
pub(crate) fn next<'de, A: MapAccess<'de>, T: de::Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// [`next`] through the format `F`.
pub(crate) fn next_with<'de, A: MapAccess<'de>, F: WireFormat>(
    map: &mut A,
    slot: &mut Option<F::Value>,
    name: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value_seed(Read::<F>(PhantomData))?);
    Ok(())
}

/// Skips the value of a member the struct does not have.
pub(crate) fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<de::IgnoredAny>().map(|_| ())
}

/// Implements serde for a generated struct from the table of its JSON members; see the
/// [module docs](self).
macro_rules! json_object {
    (
        $name:ident: $direction:ident;
        $($kind:ident $field:ident = $wire:literal $(| $alias:literal)* $(=> $($with:ident)::+)? $([$flag:ident])?;)*
    ) => {
        $crate::runtime::wire::json_object!(@impls $direction $name {
            $($kind $field = $wire $(| $alias)* $(=> $($with)::+)? $([$flag])?;)*
        });
    };

    // Which impls: the direction's own always, the other one with `serde-roundtrip`.
    (@impls sent $name:ident $fields:tt) => {
        $crate::runtime::wire::json_object!(@serialize $name $fields);
        #[cfg(feature = "serde-roundtrip")]
        $crate::runtime::wire::json_object!(@deserialize $name $fields);
    };
    (@impls received $name:ident $fields:tt) => {
        $crate::runtime::wire::json_object!(@deserialize $name $fields);
        #[cfg(feature = "serde-roundtrip")]
        $crate::runtime::wire::json_object!(@serialize $name $fields);
    };
    (@impls parameters $name:ident $fields:tt) => {
        #[cfg(feature = "serde-roundtrip")]
        $crate::runtime::wire::json_object!(@serialize $name $fields);
        #[cfg(feature = "serde-roundtrip")]
        $crate::runtime::wire::json_object!(@deserialize $name $fields);
    };
    (@impls both $name:ident $fields:tt) => {
        $crate::runtime::wire::json_object!(@serialize $name $fields);
        $crate::runtime::wire::json_object!(@deserialize $name $fields);
    };

    (@serialize $name:ident {
        $($kind:ident $field:ident = $wire:literal $(| $alias:literal)* $(=> $($with:ident)::+)? $([$flag:ident])?;)*
    }) => {
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                // `_this`: a struct may have no fields.
                let _this = self;
                let len = 0 $(+ $crate::runtime::wire::json_object!(@len _this $kind $field))*;
                #[allow(unused_mut)]
                let mut _out = $crate::runtime::wire::object::Members::start(
                    serializer, stringify!($name), len
                );
                $($crate::runtime::wire::json_object!(
                    @write _out _this $kind $field $wire $(=> $($with)::+)?
                );)*
                _out.end()
            }
        }
    };

    (@len $this:ident optional $field:ident) => { usize::from($this.$field.is_some()) };
    (@len $this:ident $kind:ident $field:ident) => { 1 };

    (@write $out:ident $this:ident optional $field:ident $wire:literal) => {
        $out.optional($wire, &$this.$field)
    };
    (@write $out:ident $this:ident optional $field:ident $wire:literal => $($with:ident)::+) => {
        $out.optional_with::<$crate::runtime::wire::$($with)::+::Format, _>($wire, &$this.$field)
    };
    (@write $out:ident $this:ident $kind:ident $field:ident $wire:literal) => {
        $out.member($wire, &$this.$field)
    };
    (@write $out:ident $this:ident $kind:ident $field:ident $wire:literal => $($with:ident)::+) => {
        $out.member_with::<$crate::runtime::wire::$($with)::+::Format>($wire, &$this.$field)
    };

    (@deserialize $name:ident {
        $($kind:ident $field:ident = $wire:literal $(| $alias:literal)* $(=> $($with:ident)::+)? $([$flag:ident])?;)*
    }) => {
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                const NAMES: &[&str] = &[$($wire, $($alias,)*)*];

                struct ObjectVisitor;

                impl<'de> serde::de::Visitor<'de> for ObjectVisitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(concat!("struct ", stringify!($name)))
                    }

                    fn visit_map<A: serde::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> Result<$name, A::Error> {
                        use $crate::runtime::wire::object as o;
                        $(let mut $field = None;)*
                        while let Some(key) = map.next_key_seed(o::KnownKey(NAMES))? {
                            match key {
                                $(Some($wire $(| $alias)*) => {
                                    $crate::runtime::wire::json_object!(
                                        @read map $field $wire $(=> $($with)::+)? $([$flag])?
                                    )
                                })*
                                _ => o::skip(&mut map),
                            }?;
                        }
                        Ok($name {
                            $($field: $crate::runtime::wire::json_object!(@finish $kind $field $wire),)*
                        })
                    }
                }

                deserializer.deserialize_struct(stringify!($name), NAMES, ObjectVisitor)
            }
        }
    };

    (@read $map:ident $field:ident $wire:literal $(=> $($with:ident)::+)? [sensitive]) => {
        $crate::runtime::drift::hiding(|| {
            $crate::runtime::wire::json_object!(@read $map $field $wire $(=> $($with)::+)?)
        })
    };
    (@read $map:ident $field:ident $wire:literal) => {
        o::next(&mut $map, &mut $field, $wire)
    };
    (@read $map:ident $field:ident $wire:literal => $($with:ident)::+) => {
        o::next_with::<_, $crate::runtime::wire::$($with)::+::Format>(&mut $map, &mut $field, $wire)
    };

    (@finish required $field:ident $wire:literal) => {
        match $field {
            Some(value) => value,
            None => return Err(serde::de::Error::missing_field($wire)),
        }
    };
    (@finish $kind:ident $field:ident $wire:literal) => { $field.unwrap_or_default() };
}

pub(crate) use json_object;

/// The `with_*` setters of a generated struct's optional fields, from a one-line-per-setter
/// table: `with_note(note = "note") into String;` is
/// `pub fn with_note(mut self, value: impl Into<String>) -> Self`, and
/// `with_tags(tags = "tags"): Vec<String>;` takes the field's type itself. Each setter stores
/// `Some(value)` and is documented with its field's Rust and wire names; `$label` says where
/// the field travels (`"JSON"`, `"Parameter"`).
macro_rules! setters {
    ($name:ident, $label:literal; $($method:ident($field:ident = $wire:literal) $how:tt $ty:ty;)*) => {
        impl $name {
            $($crate::runtime::wire::setters!(@one $label $method $field $wire $how $ty);)*
        }
    };
    (@one $label:literal $method:ident $field:ident $wire:literal into $ty:ty) => {
        #[doc = concat!("Sets `", stringify!($field), "` (", $label, " `", $wire, "`).")]
        pub fn $method(mut self, value: impl Into<$ty>) -> Self {
            self.$field = Some(value.into());
            self
        }
    };
    (@one $label:literal $method:ident $field:ident $wire:literal : $ty:ty) => {
        #[doc = concat!("Sets `", stringify!($field), "` (", $label, " `", $wire, "`).")]
        pub fn $method(mut self, value: $ty) -> Self {
            self.$field = Some(value);
            self
        }
    };
}

pub(crate) use setters;

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;

    /// A struct of every kind of entry, as generated code would declare it.
    #[derive(Debug, PartialEq, Default)]
    struct Sample {
        id: String,
        amount: Option<Decimal>,
        note: Option<String>,
        inner: Option<Inner>,
        total: Decimal,
    }

    crate::runtime::wire::json_object! {
        Sample: both;
        required id = "id";
        optional amount = "amount" => decimal::option;
        nullable note = "note" | "remark";
        optional inner = "inner";
        required total = "total" => decimal_string;
    }

    #[derive(Debug, PartialEq, Default)]
    struct Inner {
        code: i32,
    }

    crate::runtime::wire::json_object! {
        Inner: both;
        required code = "code";
    }

    /// A struct without fields.
    #[derive(Debug, PartialEq)]
    struct Empty {}

    crate::runtime::wire::json_object! {
        Empty: both;
    }

    fn read(json: &str) -> Result<Sample, (String, String)> {
        crate::runtime::read_json(json.as_bytes())
    }

    #[test]
    fn reads_every_kind_of_entry_and_ignores_unknown_members() {
        let sample = read(
            r#"{"id":"a","amount":"12.50","remark":"via alias","inner":{"code":7},"total":3,"new":[1,{"x":2}]}"#,
        )
        .unwrap();
        assert_eq!(sample.id, "a");
        assert_eq!(sample.amount.unwrap().to_string(), "12.50");
        assert_eq!(sample.note.as_deref(), Some("via alias"));
        assert_eq!(sample.inner, Some(Inner { code: 7 }));
        assert_eq!(sample.total.to_string(), "3");
    }

    #[test]
    fn optional_and_nullable_members_may_be_missing_or_null() {
        let sample = read(r#"{"id":"a","amount":null,"note":null,"total":"1"}"#).unwrap();
        assert_eq!(
            (sample.amount, sample.note, sample.inner),
            (None, None, None)
        );
        let sample = read(r#"{"id":"a","total":"1"}"#).unwrap();
        assert_eq!(
            (sample.amount, sample.note, sample.inner),
            (None, None, None)
        );
    }

    #[test]
    fn writes_optional_members_only_when_set_and_nullable_ones_always() {
        let sample = Sample {
            id: "a".into(),
            total: Decimal::new(1050, 2),
            ..Sample::default()
        };
        assert_eq!(
            serde_json::to_string(&sample).unwrap(),
            r#"{"id":"a","note":null,"total":"10.50"}"#
        );
        let sample = Sample {
            amount: Some(Decimal::new(5, 1)),
            note: Some("n".into()),
            inner: Some(Inner { code: 1 }),
            ..sample
        };
        let json = serde_json::to_string(&sample).unwrap();
        assert_eq!(
            json,
            r#"{"id":"a","amount":0.5,"note":"n","inner":{"code":1},"total":"10.50"}"#
        );
        assert_eq!(read(&json).unwrap(), sample);
    }

    #[test]
    fn a_missing_required_member_is_named() {
        let (path, message) = read(r#"{"total":"1"}"#).unwrap_err();
        assert_eq!(path, ".");
        assert!(message.contains("missing field `id`"), "{message}");
    }

    #[test]
    fn a_member_given_twice_is_an_error_even_through_its_alias() {
        let (_, message) = read(r#"{"id":"a","id":"b","total":"1"}"#).unwrap_err();
        assert!(message.contains("duplicate field `id`"), "{message}");
        let (_, message) = read(r#"{"id":"a","note":"x","remark":"y","total":"1"}"#).unwrap_err();
        assert!(message.contains("duplicate field `note`"), "{message}");
    }

    #[test]
    fn errors_name_the_json_path_and_the_format() {
        let (path, message) =
            read(r#"{"id":"a","total":"1","inner":{"code":"seven"}}"#).unwrap_err();
        assert_eq!(path, "inner.code");
        assert!(message.contains("invalid type"), "{message}");
        let (path, message) = read(r#"{"id":"a","total":"ten"}"#).unwrap_err();
        assert_eq!(path, "total");
        assert!(message.contains("expected a decimal number"), "{message}");
    }

    #[test]
    fn only_a_json_object_is_a_struct() {
        let (_, message) = read(r#"["a","1"]"#).unwrap_err();
        assert!(message.contains("expected struct Sample"), "{message}");
    }

    #[test]
    fn a_struct_without_fields_is_an_empty_object() {
        assert_eq!(serde_json::to_string(&Empty {}).unwrap(), "{}");
        let empty: Empty = crate::runtime::read_json(br#"{"anything":1}"#).unwrap();
        assert_eq!(empty, Empty {});
    }
}
