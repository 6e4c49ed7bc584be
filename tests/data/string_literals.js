var long = "0123456789012345678901234567890123456789012345678901234567890123456789";
var cases = [
  "a\n  # L2\nb",
  long + "\n  # L3\n__L2_1__\nx\n",
  "\u2028line\u2029sep\r\nCRLF\rCR\x0b\x0c\x1c\x85",
  long + '\n"""\n' + "'''\n\\",
  `${long}
  # L12
   __L3_1__
${1 + 1}\t# L1 '''"""`,
  `\u2028${'x'}\u2029\n\\n\`\${}`,
  String.raw`${long}\n
# L2
\u2028`,
  "\ud800 lone \udfff",
  '# L1',
  "\n\n\n",
];
JSON.stringify(cases)
