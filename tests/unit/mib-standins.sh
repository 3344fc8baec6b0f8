# Sourced by the MIB tests: writes into $1 minimal stand-ins of the IETF
# base modules our MIB files import (SNMPv2-SMI, SNMPv2-TC, SNMPv2-CONF).
# Debian ships none of them (non-free), and neither smilint nor net-snmp's
# parser has them built in. Only the names our files import are defined,
# typed as RFC 2578, 2579 and 2580 define them; written for this test.
mib_standins() {
	cat >"$1/SNMPv2-SMI" <<'MIB'
SNMPv2-SMI DEFINITIONS ::= BEGIN
org            OBJECT IDENTIFIER ::= { iso 3 }
dod            OBJECT IDENTIFIER ::= { org 6 }
internet       OBJECT IDENTIFIER ::= { dod 1 }
mgmt           OBJECT IDENTIFIER ::= { internet 2 }
mib-2          OBJECT IDENTIFIER ::= { mgmt 1 }
private        OBJECT IDENTIFIER ::= { internet 4 }
enterprises    OBJECT IDENTIFIER ::= { private 1 }
Integer32 ::= INTEGER (-2147483648..2147483647)
IpAddress ::= [APPLICATION 0] IMPLICIT OCTET STRING (SIZE (4))
Counter32 ::= [APPLICATION 1] IMPLICIT INTEGER (0..4294967295)
Gauge32 ::= [APPLICATION 2] IMPLICIT INTEGER (0..4294967295)
TimeTicks ::= [APPLICATION 3] IMPLICIT INTEGER (0..4294967295)
MODULE-IDENTITY MACRO ::= BEGIN END
OBJECT-IDENTITY MACRO ::= BEGIN END
OBJECT-TYPE MACRO ::= BEGIN END
NOTIFICATION-TYPE MACRO ::= BEGIN END
END
MIB
	cat >"$1/SNMPv2-TC" <<'MIB'
SNMPv2-TC DEFINITIONS ::= BEGIN
IMPORTS TimeTicks FROM SNMPv2-SMI;
TEXTUAL-CONVENTION MACRO ::= BEGIN END
DisplayString ::= TEXTUAL-CONVENTION
    DISPLAY-HINT "255a"
    STATUS       current
    DESCRIPTION  "Printable ASCII text, at most 255 characters."
    SYNTAX       OCTET STRING (SIZE (0..255))
TimeStamp ::= TEXTUAL-CONVENTION
    STATUS       current
    DESCRIPTION  "The value of sysUpTime at an event."
    SYNTAX       TimeTicks
AutonomousType ::= TEXTUAL-CONVENTION
    STATUS       current
    DESCRIPTION  "An independently extensible type identification."
    SYNTAX       OBJECT IDENTIFIER
END
MIB
	cat >"$1/SNMPv2-CONF" <<'MIB'
SNMPv2-CONF DEFINITIONS ::= BEGIN
OBJECT-GROUP MACRO ::= BEGIN END
NOTIFICATION-GROUP MACRO ::= BEGIN END
MODULE-COMPLIANCE MACRO ::= BEGIN END
AGENT-CAPABILITIES MACRO ::= BEGIN END
END
MIB
}
