//! The one grammar for the numbers in every input: permalinks, scenario and
//! trace files, step ids, the CLI's value flags and the worker's messages.
//!
//! A decimal number is `0` or a nonzero digit followed by digits: no sign,
//! no leading zeros, no separators, no white space (`+1`, `0002`, `1_0`,
//! ` 1` are refused). A hex value is an optional `0x` or `0X` (one, not
//! `0x0x`) and then 1 to 16 hex digits of either case, with no sign,
//! separators or white space. Each input has one reading, so the value read
//! is the value meant, and a value written by the tool reads back as itself.

use std::fmt;

/// Why a piece of text is not a number of the grammar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumberError {
    /// Nothing where a number was expected.
    Empty,
    /// A character that is not a digit (a sign, a space, `_`, a letter).
    NotDigit,
    /// A decimal number with a leading zero (`007`).
    LeadingZero,
    /// More digits than the type holds.
    TooLarge,
    /// Not an optional `0x` and 1 to 16 hex digits.
    NotHex,
}

impl fmt::Display for NumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            NumberError::Empty => "expected a number, found nothing",
            NumberError::NotDigit => "expected decimal digits only (no sign, space or `_`)",
            NumberError::LeadingZero => "a decimal number has no leading zeros",
            NumberError::TooLarge => "the number is too large",
            NumberError::NotHex => {
                "expected an optional 0x and 1 to 16 hex digits (no sign, space or `_`)"
            }
        })
    }
}

impl std::error::Error for NumberError {}

/// Reads a decimal number of the grammar that fits a `u64`.
pub fn decimal(text: &str) -> Result<u64, NumberError> {
    let bytes = text.as_bytes();
    match bytes {
        [] => return Err(NumberError::Empty),
        _ if !bytes.iter().all(u8::is_ascii_digit) => return Err(NumberError::NotDigit),
        [b'0', _, ..] => return Err(NumberError::LeadingZero),
        _ => {}
    }
    bytes.iter().try_fold(0u64, |value, digit| {
        value
            .checked_mul(10)
            .and_then(|value| value.checked_add(u64::from(digit - b'0')))
            .ok_or(NumberError::TooLarge)
    })
}

/// Reads a decimal number of the grammar into a narrower type.
pub fn decimal_as<T: TryFrom<u64>>(text: &str) -> Result<T, NumberError> {
    T::try_from(decimal(text)?).map_err(|_| NumberError::TooLarge)
}

/// Reads a hex value of the grammar: an optional `0x`/`0X`, then 1 to 16
/// hex digits.
pub fn hex(text: &str) -> Result<u64, NumberError> {
    let digits = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")).unwrap_or(text);
    if digits.is_empty() {
        return Err(NumberError::Empty);
    }
    if digits.len() > 16 || !digits.bytes().all(|byte| byte.is_ascii_hexdigit()) {
        return Err(NumberError::NotHex);
    }
    // Only hex digits are left, at most 16 of them: this cannot fail.
    u64::from_str_radix(digits, 16).map_err(|_| NumberError::NotHex)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_have_one_spelling() {
        for (text, value) in [("0", 0), ("7", 7), ("10", 10), ("18446744073709551615", u64::MAX)] {
            assert_eq!(decimal(text), Ok(value), "{text}");
        }
        for (text, error) in [
            ("", NumberError::Empty),
            ("+1", NumberError::NotDigit),
            ("-1", NumberError::NotDigit),
            (" 1", NumberError::NotDigit),
            ("1 ", NumberError::NotDigit),
            ("1_0", NumberError::NotDigit),
            ("0x1", NumberError::NotDigit),
            ("١", NumberError::NotDigit),
            ("00", NumberError::LeadingZero),
            ("0002", NumberError::LeadingZero),
            ("18446744073709551616", NumberError::TooLarge),
        ] {
            assert_eq!(decimal(text), Err(error), "{text:?}");
        }
        assert_eq!(decimal_as::<u8>("255"), Ok(255));
        assert_eq!(decimal_as::<u8>("256"), Err(NumberError::TooLarge));
    }

    #[test]
    fn hex_values_take_one_optional_prefix() {
        for (text, value) in [
            ("0", 0),
            ("1", 1),
            ("0x1", 1),
            ("0X1", 1),
            ("0x0000000100001067", 0x1_0000_1067),
            ("FFFFffffFFFFffff", u64::MAX),
            ("0x0000000000000001", 1),
        ] {
            assert_eq!(hex(text), Ok(value), "{text}");
        }
        for text in [
            "",
            "0x",
            "0X",
            "0x0x1",
            "0x+1",
            "+1",
            "-1",
            "_1_2_",
            "1_2",
            " 1",
            "1 ",
            "0x 1",
            "g",
            "0x1g",
            "0xx1",
            "x1",
            "00000000000000001",
        ] {
            assert!(hex(text).is_err(), "{text:?}");
        }
    }
}
