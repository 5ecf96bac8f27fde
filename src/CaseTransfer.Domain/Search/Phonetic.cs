using System.Text;

namespace CaseTransfer.Domain.Search;

/// <summary>
/// Double Metaphone (Lawrence Philips, 2000), written from the published rule set.
/// </summary>
/// <remarks>
/// Codes use the letters of the original algorithm: "0" is the "th" sound, "X" is "sh"/"ch", "J" a "j"/soft "g",
/// and "A" stands for any leading vowel (other vowels are dropped).
/// <para>
/// <see cref="DefaultMaxLength"/> is 4, the length Philips proposed: the codes feed search keys, where a short code
/// keeps recall high for long names misspelt near their end ("Richardsen"); ranking can ask for a longer code.
/// </para>
/// <para>
/// Two deliberate departures for British names. First, a "p" between "m" and "s" is silent, so Thompson, Thomson and
/// Tomson (likewise Simpson/Simson, Dempsey/Demsey) share a code. The original gives "TMPS" against "TMSN".
/// Second, an initial J has no alternate "A" (the original's "y" sound of Jankelowicz), which only equated J names with
/// vowel names: the original codes John as "JN"/"AN", this one as "JN"/"JN".
/// </para>
/// </remarks>
public static class Phonetic
{
    public const int DefaultMaxLength = 4;

    /// <summary>
    /// Encodes one word. <c>Alternate</c> equals <c>Primary</c> when the word has no second pronunciation.
    /// Non-letters and letters outside A–Z are ignored, so pass a <see cref="NameText"/> token.
    /// </summary>
    public static (string Primary, string Alternate) DoubleMetaphone(string word, int maxLength = DefaultMaxLength)
    {
        ArgumentNullException.ThrowIfNull(word);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        return new Encoder(word, maxLength).Encode();
    }

    private sealed class Encoder
    {
        // Rules look a few letters past the end and expect spaces there, as in Philips's padded buffer.
        private const string Padding = "     ";

        private readonly string _word;
        private readonly int _length;
        private readonly int _last;
        private readonly int _maxLength;
        private readonly bool _slavoGermanic;
        private readonly StringBuilder _primary = new();
        private readonly StringBuilder _alternate = new();
        private int _current;

        public Encoder(string word, int maxLength)
        {
            var letters = new StringBuilder(word.Length);
            foreach (var c in word)
            {
                var upper = char.ToUpperInvariant(c);
                if (upper is >= 'A' and <= 'Z')
                {
                    letters.Append(upper);
                }
            }

            _length = letters.Length;
            _last = _length - 1;
            _word = letters.Append(Padding).ToString();
            _maxLength = maxLength;
            _slavoGermanic = Contains("W") || Contains("K") || Contains("CZ") || Contains("WITZ");
        }

        public (string Primary, string Alternate) Encode()
        {
            if (_length == 0)
            {
                return (string.Empty, string.Empty);
            }

            // Silent first letter: Gnome, Knight, Pneumonia, Wright, Psychology.
            if (At(0, "GN", "KN", "PN", "WR", "PS"))
            {
                _current = 1;
            }

            // Initial X sounds like S (Xavier).
            if (CharAt(0) == 'X')
            {
                Add("S");
                _current = 1;
            }

            while ((_primary.Length < _maxLength || _alternate.Length < _maxLength) && _current < _length)
            {
                switch (CharAt(_current))
                {
                    case 'A' or 'E' or 'I' or 'O' or 'U' or 'Y':
                        if (_current == 0)
                        {
                            Add("A");
                        }

                        _current++;
                        break;
                    case 'B':
                        Add("P");
                        _current += CharAt(_current + 1) == 'B' ? 2 : 1;
                        break;
                    case 'C':
                        EncodeC();
                        break;
                    case 'D':
                        EncodeD();
                        break;
                    case 'F':
                        Add("F");
                        _current += CharAt(_current + 1) == 'F' ? 2 : 1;
                        break;
                    case 'G':
                        EncodeG();
                        break;
                    case 'H':
                        // Only sounded at the start of a word or between vowels (Hugh, Mahala; not Sarah).
                        if ((_current == 0 || IsVowel(_current - 1)) && IsVowel(_current + 1))
                        {
                            Add("H");
                            _current += 2;
                        }
                        else
                        {
                            _current++;
                        }

                        break;
                    case 'J':
                        EncodeJ();
                        break;
                    case 'K':
                        Add("K");
                        _current += CharAt(_current + 1) == 'K' ? 2 : 1;
                        break;
                    case 'L':
                        EncodeL();
                        break;
                    case 'M':
                        // "mb" at the end (Plumb) or before "er" (Plumber) has a silent b.
                        Add("M");
                        _current += (At(_current - 1, "UMB") && (_current + 1 == _last || At(_current + 2, "ER")))
                                    || CharAt(_current + 1) == 'M'
                            ? 2
                            : 1;
                        break;
                    case 'N':
                        Add("N");
                        _current += CharAt(_current + 1) == 'N' ? 2 : 1;
                        break;
                    case 'P':
                        EncodeP();
                        break;
                    case 'Q':
                        Add("K");
                        _current += CharAt(_current + 1) == 'Q' ? 2 : 1;
                        break;
                    case 'R':
                        // French final "-ier" (Rogier) may be silent, but not in "Meier"/"Maier".
                        if (_current == _last && !_slavoGermanic && At(_current - 2, "IE") && !At(_current - 4, "ME", "MA"))
                        {
                            Add(string.Empty, "R");
                        }
                        else
                        {
                            Add("R");
                        }

                        _current += CharAt(_current + 1) == 'R' ? 2 : 1;
                        break;
                    case 'S':
                        EncodeS();
                        break;
                    case 'T':
                        EncodeT();
                        break;
                    case 'V':
                        Add("F");
                        _current += CharAt(_current + 1) == 'V' ? 2 : 1;
                        break;
                    case 'W':
                        EncodeW();
                        break;
                    case 'X':
                        // Silent in French endings (Breaux, Arnoux).
                        if (!(_current == _last && (At(_current - 3, "IAU", "EAU") || At(_current - 2, "AU", "OU"))))
                        {
                            Add("KS");
                        }

                        _current += (CharAt(_current + 1) is 'C' or 'X') ? 2 : 1;
                        break;
                    case 'Z':
                        EncodeZ();
                        break;
                    default:
                        _current++;
                        break;
                }
            }

            return (Truncate(_primary), Truncate(_alternate));
        }

        private void EncodeC()
        {
            // Germanic "ach" is hard (Bacher, Macher), but not "-achi"/"-ache" (Bacchus aside).
            if (_current > 1 && !IsVowel(_current - 2) && At(_current - 1, "ACH") && CharAt(_current + 2) != 'I'
                && (CharAt(_current + 2) != 'E' || At(_current - 2, "BACHER", "MACHER")))
            {
                Add("K");
                _current += 2;
                return;
            }

            if (_current == 0 && At(_current, "CAESAR"))
            {
                Add("S");
                _current += 2;
                return;
            }

            // Italian "chianti".
            if (At(_current, "CHIA"))
            {
                Add("K");
                _current += 2;
                return;
            }

            if (At(_current, "CH"))
            {
                EncodeCh();
                return;
            }

            // Polish "cz" (Czerny), except the "-wicz" ending.
            if (At(_current, "CZ") && !At(_current - 2, "WICZ"))
            {
                Add("S", "X");
                _current += 2;
                return;
            }

            // Italian "focaccia".
            if (At(_current + 1, "CIA"))
            {
                Add("X");
                _current += 3;
                return;
            }

            // Double c, but not the "Mc" of McClellan.
            if (At(_current, "CC") && !(_current == 1 && CharAt(0) == 'M'))
            {
                if (At(_current + 2, "I", "E", "H") && !At(_current + 2, "HU"))
                {
                    // "accident", "accede", "succeed" say "ks"; Italian "bacci" says "ch".
                    if ((_current == 1 && CharAt(_current - 1) == 'A') || At(_current - 1, "UCCEE", "UCCES"))
                    {
                        Add("KS");
                    }
                    else
                    {
                        Add("X");
                    }

                    _current += 3;
                    return;
                }

                Add("K");
                _current += 2;
                return;
            }

            if (At(_current, "CK", "CG", "CQ"))
            {
                Add("K");
                _current += 2;
                return;
            }

            if (At(_current, "CI", "CE", "CY"))
            {
                // Italian "ciao" versus English soft c.
                if (At(_current, "CIO", "CIE", "CIA"))
                {
                    Add("S", "X");
                }
                else
                {
                    Add("S");
                }

                _current += 2;
                return;
            }

            Add("K");

            // "Mac Caffrey", "Mac Gregor" written as one word still swallow the following c/q/g.
            if (At(_current + 1, " C", " Q", " G"))
            {
                _current += 3;
            }
            else if (At(_current + 1, "C", "K", "Q") && !At(_current + 1, "CE", "CI"))
            {
                _current += 2;
            }
            else
            {
                _current++;
            }
        }

        private void EncodeCh()
        {
            // "Michael" has a hard ch; the alternate allows the German/French soft one.
            if (_current > 0 && At(_current, "CHAE"))
            {
                Add("K", "X");
                _current += 2;
                return;
            }

            // Greek roots at the start: character, charisma, chorus, chymist, chiaroscuro, chemistry — but not chore.
            if (_current == 0 && (At(_current + 1, "HARAC", "HARIS") || At(_current + 1, "HOR", "HYM", "HIA", "HEM"))
                && !At(0, "CHORE"))
            {
                Add("K");
                _current += 2;
                return;
            }

            // Germanic and Greek hard ch: Van Ch..., Schmidt, orchestra, architect, orchid, Christ, school, Achtung.
            if (At(0, "VAN ", "VON ") || At(0, "SCH")
                || At(_current - 2, "ORCHES", "ARCHIT", "ORCHID")
                || At(_current + 2, "T", "S")
                || ((At(_current - 1, "A", "O", "U", "E") || _current == 0)
                    && At(_current + 2, "L", "R", "N", "M", "B", "H", "F", "V", "W", " ")))
            {
                Add("K");
            }
            else if (_current > 0)
            {
                // McHugh is hard; otherwise "ch" is soft with a hard alternate (Richard, Bach).
                if (At(0, "MC"))
                {
                    Add("K");
                }
                else
                {
                    Add("X", "K");
                }
            }
            else
            {
                Add("X");
            }

            _current += 2;
        }

        private void EncodeD()
        {
            if (At(_current, "DG"))
            {
                // "edge" is soft, "Edgar" hard.
                if (At(_current + 2, "I", "E", "Y"))
                {
                    Add("J");
                    _current += 3;
                }
                else
                {
                    Add("TK");
                    _current += 2;
                }

                return;
            }

            Add("T");
            _current += At(_current, "DT", "DD") ? 2 : 1;
        }

        private void EncodeG()
        {
            if (CharAt(_current + 1) == 'H')
            {
                EncodeGh();
                return;
            }

            if (CharAt(_current + 1) == 'N')
            {
                if (_current == 1 && IsVowel(0) && !_slavoGermanic)
                {
                    Add("KN", "N");
                }
                else if (!At(_current + 2, "EY") && CharAt(_current + 1) != 'Y' && !_slavoGermanic)
                {
                    Add("N", "KN");
                }
                else
                {
                    Add("KN");
                }

                _current += 2;
                return;
            }

            // Italian "tagliaro".
            if (At(_current + 1, "LI") && !_slavoGermanic)
            {
                Add("KL", "L");
                _current += 2;
                return;
            }

            // Initial g before e/i/y is usually hard in names (Gibson, Geller), soft as the alternate.
            if (_current == 0
                && (CharAt(_current + 1) == 'Y'
                    || At(_current + 1, "ES", "EP", "EB", "EL", "EY", "IB", "IL", "IN", "IE", "EI", "ER")))
            {
                Add("K", "J");
                _current += 2;
                return;
            }

            // "-ger-" and "-gy-" (Berger, Gogy) but not danger, ranger, manger, or "-rgy"/"-ogy".
            if ((At(_current + 1, "ER") || CharAt(_current + 1) == 'Y')
                && !At(0, "DANGER", "RANGER", "MANGER")
                && !At(_current - 1, "E", "I")
                && !At(_current - 1, "RGY", "OGY"))
            {
                Add("K", "J");
                _current += 2;
                return;
            }

            // Soft g before e/i/y, and the Italian "-aggi"/"-oggi".
            if (At(_current + 1, "E", "I", "Y") || At(_current - 1, "AGGI", "OGGI"))
            {
                if (At(0, "VAN ", "VON ") || At(0, "SCH") || At(_current + 1, "ET"))
                {
                    Add("K");
                }
                else if (At(_current + 1, "IER "))
                {
                    Add("J");
                }
                else
                {
                    Add("J", "K");
                }

                _current += 2;
                return;
            }

            Add("K");
            _current += CharAt(_current + 1) == 'G' ? 2 : 1;
        }

        private void EncodeGh()
        {
            if (_current > 0 && !IsVowel(_current - 1))
            {
                Add("K");
                _current += 2;
                return;
            }

            // "Ghislaine" versus "Ghent".
            if (_current == 0)
            {
                Add(CharAt(_current + 2) == 'I' ? "J" : "K");
                _current += 2;
                return;
            }

            // Silent after b, h, d a few letters back: Hugh, bough, Broughton.
            if ((_current > 1 && At(_current - 2, "B", "H", "D"))
                || (_current > 2 && At(_current - 3, "B", "H", "D"))
                || (_current > 3 && At(_current - 4, "B", "H")))
            {
                _current += 2;
                return;
            }

            // "laugh", "McLaughlin", "cough", "rough", "tough" say f; "Leigh", "night" are silent.
            if (_current > 2 && CharAt(_current - 1) == 'U' && At(_current - 3, "C", "G", "L", "R", "T"))
            {
                Add("F");
            }
            else if (_current > 0 && CharAt(_current - 1) != 'I')
            {
                Add("K");
            }

            _current += 2;
        }

        private void EncodeJ()
        {
            // Spanish "Jose", "San Jacinto".
            if (At(_current, "JOSE") || At(0, "SAN "))
            {
                if ((_current == 0 && CharAt(_current + 4) == ' ') || At(0, "SAN "))
                {
                    Add("H");
                }
                else
                {
                    Add("J", "H");
                }

                _current++;
                return;
            }

            if (_current == 0)
            {
                // Philips adds an alternate "A" for a "y"-sounding J (Jankelowicz). British names do not say it,
                // and the alternate made every J name sound like a vowel name (John and Ann, James and Amos).
                Add("J");
            }
            else if (IsVowel(_current - 1) && !_slavoGermanic && (CharAt(_current + 1) is 'A' or 'O'))
            {
                // Spanish "bajador".
                Add("J", "H");
            }
            else if (_current == _last)
            {
                Add("J", string.Empty);
            }
            else if (!At(_current + 1, "L", "T", "K", "S", "N", "M", "B", "Z") && !At(_current - 1, "S", "K", "L"))
            {
                Add("J");
            }

            _current += CharAt(_current + 1) == 'J' ? 2 : 1;
        }

        private void EncodeL()
        {
            if (CharAt(_current + 1) == 'L')
            {
                // Spanish "-illo", "-illa", "-alle" (Cabrillo, Gallegos): the ll may be a "y" sound.
                if ((_current == _length - 3 && At(_current - 1, "ILLO", "ILLA", "ALLE"))
                    || ((At(_last - 1, "AS", "OS") || At(_last, "A", "O")) && At(_current - 1, "ALLE")))
                {
                    Add("L", string.Empty);
                    _current += 2;
                    return;
                }

                _current += 2;
            }
            else
            {
                _current++;
            }

            Add("L");
        }

        private void EncodeP()
        {
            if (CharAt(_current + 1) == 'H')
            {
                Add("F");
                _current += 2;
                return;
            }

            // British adjustment (see the class remarks): Thompson, Simpson, Sampson lose the p.
            if (CharAt(_current - 1) == 'M' && CharAt(_current + 1) == 'S')
            {
                _current++;
                return;
            }

            // "Campbell", "Ruppert".
            Add("P");
            _current += At(_current + 1, "P", "B") ? 2 : 1;
        }

        private void EncodeS()
        {
            // Silent in "island", "isle", "Carlysle".
            if (At(_current - 1, "ISL", "YSL"))
            {
                _current++;
                return;
            }

            if (_current == 0 && At(_current, "SUGAR"))
            {
                Add("X", "S");
                _current++;
                return;
            }

            if (At(_current, "SH"))
            {
                // Germanic "-sheim", "-shoek", "-sholm", "-sholz" keep the s separate.
                Add(At(_current + 1, "HEIM", "HOEK", "HOLM", "HOLZ") ? "S" : "X");
                _current += 2;
                return;
            }

            // Italian and Armenian "sio", "sia", "sian".
            if (At(_current, "SIO", "SIA") || At(_current, "SIAN"))
            {
                if (_slavoGermanic)
                {
                    Add("S");
                }
                else
                {
                    Add("S", "X");
                }

                _current += 3;
                return;
            }

            // German "Schmidt"/"Smith" and "Schneider"/"Snyder" should meet; so should "sz".
            if ((_current == 0 && At(_current + 1, "M", "N", "L", "W")) || At(_current + 1, "Z"))
            {
                Add("S", "X");
                _current += At(_current + 1, "Z") ? 2 : 1;
                return;
            }

            if (At(_current, "SC"))
            {
                EncodeSc();
                return;
            }

            // French final s (Artois) is silent.
            if (_current == _last && At(_current - 2, "AI", "OI"))
            {
                Add(string.Empty, "S");
            }
            else
            {
                Add("S");
            }

            _current += At(_current + 1, "S", "Z") ? 2 : 1;
        }

        private void EncodeSc()
        {
            if (CharAt(_current + 2) == 'H')
            {
                // Dutch "school", "schooner", "schermerhorn", "schenker".
                if (At(_current + 3, "OO", "ER", "EN", "UY", "ED", "EM"))
                {
                    if (At(_current + 3, "ER", "EN"))
                    {
                        Add("X", "SK");
                    }
                    else
                    {
                        Add("SK");
                    }

                    _current += 3;
                    return;
                }

                // German "Schmidt", "Schneider" (also "Schwarz" which keeps the w).
                if (_current == 0 && !IsVowel(3) && CharAt(3) != 'W')
                {
                    Add("X", "S");
                }
                else
                {
                    Add("X");
                }

                _current += 3;
                return;
            }

            if (At(_current + 2, "I", "E", "Y"))
            {
                Add("S");
                _current += 3;
                return;
            }

            Add("SK");
            _current += 3;
        }

        private void EncodeT()
        {
            if (At(_current, "TION") || At(_current, "TIA", "TCH"))
            {
                Add("X");
                _current += 3;
                return;
            }

            if (At(_current, "TH") || At(_current, "TTH"))
            {
                // "Thomas", "Thames", and Germanic names keep a hard t.
                if (At(_current + 2, "OM", "AM") || At(0, "VAN ", "VON ") || At(0, "SCH"))
                {
                    Add("T");
                }
                else
                {
                    Add("0", "T");
                }

                _current += 2;
                return;
            }

            Add("T");
            _current += At(_current + 1, "T", "D") ? 2 : 1;
        }

        private void EncodeW()
        {
            if (At(_current, "WR"))
            {
                Add("R");
                _current += 2;
                return;
            }

            // An initial w before a vowel may be the German v (Wagner, Wasserman).
            if (_current == 0 && (IsVowel(_current + 1) || At(_current, "WH")))
            {
                if (IsVowel(_current + 1))
                {
                    Add("A", "F");
                }
                else
                {
                    Add("A");
                }
            }

            // Polish "-ewski"/"-owski", final w after a vowel (Arnow), and German "Sch...w".
            if ((_current == _last && IsVowel(_current - 1))
                || At(_current - 1, "EWSKI", "EWSKY", "OWSKI", "OWSKY")
                || At(0, "SCH"))
            {
                Add(string.Empty, "F");
                _current++;
                return;
            }

            if (At(_current, "WICZ", "WITZ"))
            {
                Add("TS", "FX");
                _current += 4;
                return;
            }

            _current++;
        }

        private void EncodeZ()
        {
            // Chinese "Zhao".
            if (CharAt(_current + 1) == 'H')
            {
                Add("J");
                _current += 2;
                return;
            }

            if (At(_current + 1, "ZO", "ZI", "ZA") || (_slavoGermanic && _current > 0 && CharAt(_current - 1) != 'T'))
            {
                Add("S", "TS");
            }
            else
            {
                Add("S");
            }

            _current += CharAt(_current + 1) == 'Z' ? 2 : 1;
        }

        private bool Contains(string fragment) => _word.AsSpan(0, _length).Contains(fragment.AsSpan(), StringComparison.Ordinal);

        private char CharAt(int index) => index >= 0 && index < _word.Length ? _word[index] : '\0';

        private bool IsVowel(int index) => CharAt(index) is 'A' or 'E' or 'I' or 'O' or 'U' or 'Y';

        private bool At(int start, params ReadOnlySpan<string> options)
        {
            if (start < 0)
            {
                return false;
            }

            foreach (var option in options)
            {
                if (start + option.Length <= _word.Length
                    && _word.AsSpan(start, option.Length).SequenceEqual(option.AsSpan()))
                {
                    return true;
                }
            }

            return false;
        }

        private void Add(string both) => Add(both, both);

        private void Add(string primary, string alternate)
        {
            _primary.Append(primary);
            _alternate.Append(alternate);
        }

        private string Truncate(StringBuilder code) =>
            code.Length > _maxLength ? code.ToString(0, _maxLength) : code.ToString();
    }
}
