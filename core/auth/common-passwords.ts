// The most common passwords (public breach-corpus top lists, lower case), refused by the policy.
// Only entries that could pass the letters-and-digits rule matter, but the classics stay for clarity.
export const commonPasswords: ReadonlySet<string> = new Set(
  `
  000000 0987654321a 1111 111111 11111111 112233 1122334455a 11223344a 121212 123123 123321 1234
  12345 123456 1234567 12345678 123456789 1234567890 1234567890a 123456789a 12345678a 1234567a
  123456a 1234abcd 1234qwer 123abc 123qwe 123qwe123 12qwaszx 131313 147258369a 159357a 159753
  1a2b3c4d 1q2w3e 1q2w3e4r 1q2w3e4r5t 1qaz2wsx 1qaz2wsx3edc 1qazxsw2 2000 555555 654321 666666
  666666a 6969 696969 741852963a 777777 7777777 789456123a 888888a 987654321 987654321a a123456
  a1234567 a12345678 a1b2c3 a1b2c3d4 aa123456 aa12345678 aaaaaa abc123 abc12345 abc123456 abcd1234
  access admin1 admin12 admin123 admin1234 admin12345 admin2020 admin2024 admin2025 admin2026
  administrator1 amanda andrew andrew123 angel123 apple123 asdf123 asdf1234 asdfgh asdfgh1 ashley
  ashley1 asshole austin autumn2024 autumn2025 autumn2026 azerty1 azerty123 baby123 banana123
  baseball baseball1 batman batman1 biteme blink182 buster butterfly1 bvb09 changeme1 changeme123
  charlie charlie1 charlie123 cheese cheese123 chelsea chocolate1 company1 company123 computer
  cookie123 dallas daniel daniel1 december1 default1 default123 dragon dragon1 dragon123 facebook1
  fall2025 fall2026 ficken123 flower123 football football1 freedom freedom1 friday13 fuck fuckme
  fuckyou fussball1 geheim1 geheim123 george ginger ginger123 google123 guest123 hallo123 hallo1234
  hannah123 harley helpdesk1 hockey hunter hunter1 hunter12 hunter2 ichliebedich1 iloveyou iloveyou1
  iloveyou2 iphone123 january1 jennifer jennifer1 jessica jessica1 jordan jordan23 joshua joshua123
  killer killer1 klaster letmein letmein1 letmein123 linux123 login123 love lovely123 loveyou1 maggie
  master master1 master12 master123 matrix matthew matthew1 michael michael1 michael12 michelle
  microsoft1 minecraft1 monday1 monkey monkey1 monkey123 mustang naruto123 network1 nicole nicole123
  office123 office365 orange123 p4ssw0rd pa55w0rd pa55word pass pass123 pass1234 pass12345 passw0rd
  password password1 password12 password123 password1234 passwort1 passwort123 pepper pepper123
  pokemon1 princess princess1 purple123 pussy q1w2e3 q1w2e3r4 q1w2e3r4t5 qazwsx qwe123 qwer1234
  qwerty qwerty1 qwerty12 qwerty123 qwerty1234 qwertyuiop qwertz1 qwertz123 qwertzu1 ranger remote123
  rescue123 robert robert123 root123 root1234 samsung1 schalke04 schatz123 secret1 secret123
  secure123 security1 server123 service1 shadow shadow1 soccer soccer1 sommer2024 sommer2025
  sommer2026 spring2024 spring2025 spring2026 starwars starwars1 summer summer1 summer2020 summer2021
  summer2022 summer2023 summer2024 summer2025 summer2026 sunshine sunshine1 superman superman1
  support1 support123 taylor temp123 temp1234 test123 test1234 test12345 testing1 testing123 thomas
  thomas123 thunder tigger toor123 trustno1 ubuntu123 user123 user1234 welcome1 welcome123
  welcome2020 welcome2021 welcome2022 welcome2023 welcome2024 welcome2025 welcome2026 whatever1
  windows10 windows11 winter123 winter2020 winter2021 winter2022 winter2023 winter2024 winter2025
  winter2026 yankees zaq12wsx zaq1zaq1 zxcv1234 zxcvbn zxcvbnm zxcvbnm1
`.split(/\s+/).filter(Boolean),
);
