//! Detection of runs of consecutive characters: alphabet order and keyboard
//! rows, in either direction, in Latin and Cyrillic.

/// The number of consecutive characters that makes a run.
pub const RUN_LENGTH: usize = 4;

/// Character orders a run may follow, in lower case. A run matches when it
/// is a substring of one of them, read forwards or backwards.
const ORDERS: &[&str] = &[
    // Alphabet orders.
    "0123456789",
    "abcdefghijklmnopqrstuvwxyz",
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    // The same without ё, so that "дежз" counts as a run as well as "деёж".
    "абвгдежзийклмнопрстуфхцчшщъыьэюя",
    // Keyboard rows of the Latin (QWERTY) layout, digits included so that
    // "7890" counts.
    "1234567890",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    // Keyboard rows of the Russian (ЙЦУКЕН) layout.
    "йцукенгшщзхъ",
    "фывапролджэ",
    "ячсмитьбю",
];

/// Tells whether `password` contains [`RUN_LENGTH`] or more characters in a
/// row that follow one of the orders above, ignoring case.
pub fn has_run(password: &str) -> bool {
    let chars: Vec<char> = password.chars().flat_map(char::to_lowercase).collect();

    chars.windows(RUN_LENGTH).any(|window| {
        let forward: String = window.iter().collect();
        let backward: String = window.iter().rev().collect();
        ORDERS
            .iter()
            .any(|order| order.contains(&forward) || order.contains(&backward))
    })
}
