// The EPUB's language tag: Chinese is tagged by its script (zh-Hans / zh-Hant), as e-book stores ask, read from
// the characters the manuscript is written in, not from the region in the front matter's `lang`.

/** Frequent characters whose simplified and traditional forms differ, pairwise (ambiguous ones such as 后/後, 里/裡, 发/髮 left out). */
const SIMPLIFIED = '这个们来为时国说会对过还经动现实学问长门开关见进东车书马鸟鱼龙头买卖电话语读写认识记设让请谁该样义乐习产从业与两机区级结务员场给当种体应万气网华总线观质统维湾历岁际领变点热转传称导阳';
const TRADITIONAL = '這個們來為時國說會對過還經動現實學問長門開關見進東車書馬鳥魚龍頭買賣電話語讀寫認識記設讓請誰該樣義樂習產從業與兩機區級結務員場給當種體應萬氣網華總線觀質統維灣歷歲際領變點熱轉傳稱導陽';

/**
 * `lang` with its script made explicit: for Chinese, the script most of the text's distinguishing characters are
 * in (a tie goes by the region: TW, HK, MO → Hant); other languages unchanged.
 *
 * @example
 * epubLanguage('zh-CN', '长沙制造攀高逐新，这个产业'); // 'zh-Hans'
 * epubLanguage('zh', '這個產業'); // 'zh-Hant'
 */
export function epubLanguage(lang: string, text: string): string {
  if (!/^zh\b/i.test(lang)) return lang;
  let simplified = 0;
  let traditional = 0;
  for (const character of text) {
    if (SIMPLIFIED.includes(character)) simplified++;
    else if (TRADITIONAL.includes(character)) traditional++;
  }
  if (simplified !== traditional) return simplified > traditional ? 'zh-Hans' : 'zh-Hant';
  return /-(?:Hant|TW|HK|MO)\b/i.test(lang) ? 'zh-Hant' : 'zh-Hans';
}
