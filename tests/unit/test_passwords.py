"""R6 password rules and one-time passwords."""
from app.auth.passwords import hash_password, strength_problems, temporary_password, verify_password


def rules_broken(password, username=""):
    return [str(problem) for problem in strength_problems(password, username)]


def test_a_good_password_breaks_no_rule():
    assert rules_broken("Phukradueng99", "somchai") == []
    assert rules_broken("ภูกระดึง2569") == []  # Thai letters count as letters


def test_each_rule_is_reported():
    assert rules_broken("ab1") == ["at least 8 characters"]
    assert rules_broken("abcdefghij") == ["at least one digit"]
    assert rules_broken("1234567890") == ["at least one letter", "not a commonly used password"]
    assert rules_broken("Password1") == ["not a commonly used password"]
    assert rules_broken("xsomchai99", "somchai") == ["not containing the username"]


def test_one_time_passwords_pass_the_rules_and_differ():
    passwords = {temporary_password() for _ in range(20)}
    assert len(passwords) == 20
    assert all(rules_broken(p) == [] for p in passwords)
    assert not any(ch in "".join(passwords) for ch in "0O1lI")


def test_hash_verifies_only_the_right_password():
    hashed = hash_password("Phukradueng99")
    assert hashed.startswith("scrypt:")
    assert verify_password(hashed, "Phukradueng99") and not verify_password(hashed, "phukradueng99")
    assert not verify_password(None, "anything")  # unknown user: checked against a decoy, never true
