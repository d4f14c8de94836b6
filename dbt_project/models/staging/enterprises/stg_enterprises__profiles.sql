-- 企业年度画像（当前版本）: one row per uscc × profile_year; the latest load wins.
-- Personal data (联系人, 联系电话) is dropped here and never reaches a later layer.
with source as (
    select * from {{ source('raw', 'enterprises') }}
),

current_version as (
    select *
    from source
    qualify row_number() over (partition by uscc, profile_year order by load_id desc, source_row desc) = 1
)

select
    uscc,
    trim(name) as enterprise_name,
    division_code,
    case when left(division_code, 4) = '4290' then division_code
         else left(division_code, 4) || '00' end as region_code,
    industry_code,
    left(industry_code, 2) as division_2d,
    founded_on,
    profile_year::integer as profile_year,
    is_above_scale,
    coalesce(current_title, '无') as current_title,
    title_year::integer as title_year,
    nullif(trim(niche_market), '') as niche_market,
    niche_since_year::integer as niche_since_year,
    nullif(trim(main_product), '') as main_product,
    coalesce(product_domains, []::varchar[]) as product_domains,
    nullif(trim(cluster), '') as cluster,
    nullif(trim(chain), '') as chain,
    coalesce(feature_awards, []::varchar[]) as feature_awards,
    niche_share_pct,
    digital_level::integer as digital_level,
    coalesce(quality_items, []::varchar[]) as quality_items,
    ip_class1::integer as ip_class1,
    ip_class1_self::integer as ip_class1_self,
    ip_class1_high_value::integer as ip_class1_high_value,
    ip_class2::integer as ip_class2,
    rd_institution_level,
    rd_staff::integer as rd_staff,
    coalesce(direct_pass, []::varchar[]) as direct_pass,
    load_id,
    source_file,
    source_row
from current_version
